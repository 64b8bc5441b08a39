"""The real CLI fixing and previewing marker findings in config files it
cannot or must not edit: the run reports, it never crashes, and the
files keep their bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from asynclint.cli import main

TEST = "import pytest\n\n\n@pytest.mark.fast\ndef test_x():\n    pass\n"
LATIN_1 = b"[pytest]\nmarkers =\n    slow: caf\xe9\n"


def _run(project: Path, *options: str) -> Result:
    saved = os.getcwd()
    os.chdir(project)
    try:
        arguments = ["check", *options, "--no-cache", "--jobs", "1", "."]
        return CliRunner().invoke(main, arguments, catch_exceptions=False)
    finally:
        os.chdir(saved)


def _project(tmp_path: Path, config: str, data: bytes) -> Path:
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "test_a.py").write_text(TEST)
    (project / config).write_bytes(data)
    return project


@pytest.mark.parametrize("config", ["tox.ini", "setup.cfg", "pytest.ini"])
@pytest.mark.parametrize("options", [(), ("--diff",), ("--fix",)])
def test_a_config_that_is_not_utf8_is_reported_and_left_alone(
    tmp_path: Path, config: str, options: tuple[str, ...]
) -> None:
    data = LATIN_1
    if config == "setup.cfg":
        data = data.replace(b"[pytest]", b"[tool:pytest]")
    project = _project(tmp_path, config, data)

    result = _run(project, *options)

    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    if options != ("--diff",):
        problem = "is not valid UTF-8 (byte 0xe9 on line 3)"
        assert result.stdout.splitlines() == [
            f"{config}:3:1: ASL405 pytest rejects {config}: {problem}"
        ]
    assert (project / config).read_bytes() == data


SLOW_TEST = TEST.replace("fast", "slow")
REGISTERS_FAST = "[pytest]\nmarkers =\n    fast: x\n"


def test_a_config_linked_from_outside_the_project_is_not_edited(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pytest.ini").write_text(REGISTERS_FAST)
    project = _project(tmp_path, "pyproject.toml", b'[project]\nname = "p"\n')
    (project / "tests" / "test_a.py").write_text(SLOW_TEST)
    (project / "pytest.ini").symlink_to(outside / "pytest.ini")

    result = _run(project, "--fix")

    refusal = "is a symbolic link to a file outside the project; not fixed"
    assert result.stdout.splitlines() == [
        f"pytest.ini: error: {refusal}",
        "tests/test_a.py:4:2: ASL401 marker 'slow' is not registered in pytest.ini",
    ]
    assert "The fixes of 1 file could not be written." in result.stderr
    assert result.exit_code == 1
    assert (outside / "pytest.ini").read_text() == REGISTERS_FAST
    assert (project / "pytest.ini").is_symlink()


def test_a_config_linked_inside_the_project_is_edited_through_the_link(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, "pyproject.toml", b'[project]\nname = "p"\n')
    (project / "tests" / "test_a.py").write_text(SLOW_TEST)
    (project / "config").mkdir()
    (project / "config" / "pytest.ini").write_text(REGISTERS_FAST)
    (project / "pytest.ini").symlink_to(project / "config" / "pytest.ini")

    result = _run(project, "--fix")

    assert result.exit_code == 0, result.output
    assert (project / "pytest.ini").is_symlink()
    assert (project / "config" / "pytest.ini").read_text() == (
        REGISTERS_FAST + "    slow\n"
    )
