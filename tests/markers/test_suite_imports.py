"""Plugins proven present by the suite's own imports (markers/suite.py).

The suite is read only when a finding could depend on it; that must give
what reading it for every file would, and a run over one file must judge
it as the run over the whole tree does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import findings, run_check

from asynclint.markers import config_judge, context, file_judge
from asynclint.markers.configs import PytestConfig
from asynclint.markers.plugins import installed_distributions
from asynclint.markers.suite import suite_files

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markers"
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "verdict.json").is_file())


def _installed(name: str) -> list[str]:
    verdict = json.loads((FIXTURES / name / "verdict.json").read_text("utf-8"))
    return list(verdict.get("installed", ()))


@pytest.mark.parametrize("name", PROJECTS)
def test_reading_the_suite_only_when_needed_changes_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input", root)
    lazy = run_check(root, _installed(name))

    monkeypatch.setattr(file_judge, "_unsettled", lambda *_: True)
    monkeypatch.setattr(config_judge, "plugin_may_know", lambda *_: True)
    eager = run_check(root, _installed(name))

    assert findings(root, lazy) == findings(root, eager)
    assert {v.message for v in lazy} == {v.message for v in eager}


def test_the_suite_is_not_read_when_no_finding_depends_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow\n", "utf-8")
    (tmp_path / "test_a.py").write_text(
        "import pytest\n\n\n@pytest.mark.slow\n@pytest.mark.network\n"
        "def test_a():\n    pass\n",
        "utf-8",
    )
    read: list[Path] = []

    def suite_plugins(project: object, base: Path, *_: object) -> frozenset[str]:
        read.append(base)
        return frozenset()

    monkeypatch.setattr(context, "suite_plugins", suite_plugins)
    found = run_check(tmp_path)

    assert [(v.code, v.line) for v in found] == [("ASL401", 5)]
    assert read == []

    (tmp_path / "test_b.py").write_text("async def test_b():\n    pass\n", "utf-8")
    found = run_check(tmp_path)

    assert read == [tmp_path]
    assert ("ASL408", 1) in [(v.code, v.line) for v in found]


def test_the_suite_is_what_pytest_collects(tmp_path: Path) -> None:
    files = [
        "conftest.py",
        "docs/test_docs.py",
        "tests/conftest.py",
        "tests/test_a.py",
        "tests/check_b.py",
        "tests/helpers.py",
        "tests/data/test_skipped.py",
        "tests/build/test_default_skipped.py",
        "tests/venv2/test_in_venv.py",
        "tests/.hidden/test_hidden.py",
        "integration/unit/test_c.py",
        "integration/slow/test_d.py",
    ]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", "utf-8")
    (tmp_path / "tests/venv2/pyvenv.cfg").write_text("", "utf-8")
    settings = {
        "testpaths": "tests integration/* missing",
        "python_files": "test_*.py check_*.py",
        "norecursedirs": ".* build integration/slow",
    }
    config = PytestConfig(tmp_path / "pytest.ini", True, settings=settings)

    found = [p.relative_to(tmp_path).as_posix() for p in suite_files(tmp_path, config)]

    assert found == [
        "conftest.py",
        "tests/check_b.py",
        "tests/conftest.py",
        "tests/test_a.py",
        "tests/data/test_skipped.py",
        "integration/unit/test_c.py",
    ]
    default = PytestConfig(tmp_path / "pytest.ini", True)
    everything = {
        p.relative_to(tmp_path).as_posix() for p in suite_files(tmp_path, default)
    }
    assert "docs/test_docs.py" in everything
    assert "tests/build/test_default_skipped.py" not in everything


@pytest.mark.skipif(
    "anyio" in installed_distributions(),
    reason="anyio is installed here, so its plugin is present anyway",
)
def test_one_file_is_judged_as_in_the_run_over_the_tree(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "not408_plugin_imported_by_suite/input/a", root)
    (root / "tests/test_plain.py").write_text(
        "import pytest\n\n\n@pytest.mark.timeout(1)\nasync def test_plain():\n"
        "    pass\n",
        "utf-8",
    )
    command = [sys.executable, "-m", "asynclint", "check", "--no-cache", "-q"]

    def run(*paths: str) -> list[str]:
        done = subprocess.run(
            [*command, *paths], check=False, cwd=root, capture_output=True, text=True
        )
        return done.stdout.splitlines()

    whole = run(".")
    one = run("tests/test_plain.py")

    assert (
        whole
        == one
        == [
            (
                "tests/test_plain.py:4:2: ASL401 marker 'timeout' is not registered "
                "in pyproject.toml; it belongs to pytest-timeout, which is neither "
                "declared nor installed"
            ),
            (
                "tests/test_plain.py:5:1: ASL408 async test 'test_plain' never runs: "
                "anyio runs only tests marked 'anyio' or using anyio_backend without "
                "anyio_mode = auto"
            ),
        ]
    )
    assert run("tests/middleware/test_logging.py") == []
