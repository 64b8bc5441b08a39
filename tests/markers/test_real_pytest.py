"""Real pytest, with `--strict-markers`: before and after the fixes, and on
must-not-fire projects whose configs a reader might take for broken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import fix_until_stable

from asynclint.markers.configs import CONFIG_NAMES

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markers"
# Must-not-fire projects whose point is that pytest itself accepts them.
ACCEPTED = (
    "not405_ini_shapes_pytest_accepts",
    "not405_toml_shapes_pytest_accepts",
    "not406_registrations_read_as_meant",
)
# Projects that use pytest.toml or a native [tool.pytest] table (pytest 9).
NEEDS_PYTEST_9 = frozenset(
    {"leftover_empty_ini_options", "pytest_toml_extra_tables", "toml_project"}
)
_PYTEST_MAJOR = int(pytest.__version__.split(".")[0])


def _projects(name: str) -> list[str]:
    """The input folder, or each of its folders when it holds several projects."""
    root = FIXTURES / name / "input"
    if any((root / config).is_file() for config in CONFIG_NAMES):
        return ["."]
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def _collects(root: Path, *options: str) -> bool:
    command = [sys.executable, "-m", "pytest", "--strict-markers", "--collect-only"]
    command += options
    command += ["-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        command, check=False, cwd=root, capture_output=True, text=True
    )
    return done.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "R16",
        "R19",
        "T09a",
        "T10",
        "401_alias_forms",
        "401_ini_crlf_no_newline",
        "401_toml_multiline_no_trailing_comma",
        "401_no_config_at_all",
        "T09c",
    ],
)
def test_collection_fails_before_and_passes_after(name: str, tmp_path: Path) -> None:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input", root)
    assert not _collects(root)

    fix_until_stable(root)

    assert _collects(root)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "project"),
    [(name, project) for name in ACCEPTED for project in _projects(name)],
)
def test_pytest_accepts_the_must_not_fire_configs(
    name: str, project: str, tmp_path: Path
) -> None:
    if project in NEEDS_PYTEST_9 and _PYTEST_MAJOR < 9:
        pytest.skip("pytest 8 reads neither pytest.toml nor [tool.pytest]")
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input", root)

    assert _collects(root / project, "--strict-config")


@pytest.mark.slow
@pytest.mark.parametrize("project", ["ini", "toml"])
def test_a_multi_line_description_is_written_as_pytest_reads_it(
    project: str, tmp_path: Path
) -> None:
    name = "401_multiline_description"
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input", root)
    assert not _collects(root / project)

    fix_until_stable(root, descriptions={"slow": "takes long\nrun nightly"})

    assert _collects(root / project, "--strict-config")


@pytest.mark.slow
@pytest.mark.parametrize(
    "project",
    ["closing_on_last_line", "literal", "multi_line", "single_line", "single_literal"],
)
def test_markers_given_as_a_toml_string_get_a_line_pytest_reads(
    project: str, tmp_path: Path
) -> None:
    name = "401_toml_markers_string"
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input" / project, root)
    assert not _collects(root)

    fix_until_stable(root)

    assert _collects(root, "--strict-config")
