"""A plugin's marker while the plugin is missing: ASL401 names the plugin,
and the fix does not register the marker by hand, which would only trade
the finding for ASL407 on the registered line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import fix_until_stable, run_check

from asynclint.markers.plugins import installed_distributions

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markers"
_MISSING = "which is neither declared nor installed"


def test_the_fix_registers_only_markers_no_plugin_provides(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "401_plugin_marker_not_registered_by_hand/input", root)

    fix_until_stable(root)
    left = sorted(run_check(root), key=lambda v: v.line)

    assert [(v.code, v.line, v.fix) for v in left] == [
        ("ASL401", 4, None),
        ("ASL408", 5, None),
    ]
    assert left[0].message == (
        "marker 'asyncio' is not registered in pyproject.toml; "
        f"it belongs to pytest-asyncio, {_MISSING}"
    )
    assert '"network",' in (root / "pyproject.toml").read_text("utf-8")


def test_a_marker_of_two_plugins_names_both(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", "utf-8")
    (tmp_path / "test_a.py").write_text(
        "import pytest\n\n\n@pytest.mark.benchmark\ndef test_a():\n    pass\n",
        "utf-8",
    )

    (found,) = run_check(tmp_path)

    assert found.fix is None
    assert found.message == (
        "marker 'benchmark' is not registered in pytest.ini; it belongs to "
        f"pytest-benchmark or pytest-codspeed, {_MISSING}"
    )


@pytest.mark.skipif(
    "pytest-asyncio" in installed_distributions(),
    reason="pytest-asyncio is installed here, so its marker is registered",
)
def test_fix_then_check_on_the_command_line(tmp_path: Path) -> None:
    config = '[tool.pytest.ini_options]\nmarkers = [\n    "slow: slow tests",\n]\n'
    (tmp_path / "pyproject.toml").write_text(config, "utf-8")
    (tmp_path / "test_a.py").write_text(
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n",
        "utf-8",
    )

    fixed = _asynclint(tmp_path, "--fix")
    checked = _asynclint(tmp_path)

    assert (tmp_path / "pyproject.toml").read_text("utf-8") == config
    assert fixed.returncode == checked.returncode == 1
    assert checked.stdout.splitlines() == [
        (
            "test_a.py:4:2: ASL401 marker 'asyncio' is not registered in "
            f"pyproject.toml; it belongs to pytest-asyncio, {_MISSING}"
        ),
        (
            "test_a.py:5:1: ASL408 async test 'test_a' never runs: no async test "
            "plugin is configured"
        ),
    ]


def _asynclint(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", "check", "--no-cache", "-q"]
    return subprocess.run(
        [*command, *options, "."], check=False, cwd=root, capture_output=True, text=True
    )


@pytest.mark.xfail(
    strict=True,
    reason="'-p no:NAME' in addopts is not read: a declared plugin counts as "
    "loaded even where pytest is told not to load it",
)
def test_a_plugin_turned_off_with_p_no_is_missing(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\naddopts = -p no:asyncio\nasyncio_mode = auto\n"
    )
    (tmp_path / "requirements.txt").write_text("pytest-asyncio\n", "utf-8")
    (tmp_path / "test_a.py").write_text("async def test_a():\n    pass\n", "utf-8")

    assert [v.code for v in run_check(tmp_path)] == ["ASL408"]
