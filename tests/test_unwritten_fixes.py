"""A fix that cannot be written leaves its file alone and its findings reported.

Each case runs the real CLI with `--fix` on a project where one file
cannot be written (a link out of the project, a read-only file, a
directory that refuses new files). That file must keep its bytes, its
findings must be reported at the file's own positions as unfixed, the
error line must say why, and the exit code must say findings remain;
other files are fixed as usual.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from asynclint import check_outcome, writing
from asynclint.cli import main

# `import asyncio` goes on top when the call is offloaded, so a reported
# line number shows whether it comes from the file or from the fixed text.
BLOCKING = (
    "import time\n\n\ndef pause():\n    time.sleep(1)\n\n\n"
    "async def tick():\n    pause()\n"
)
DROPPED = "async def job():\n    pass\n\n\nasync def main():\n    job()\n"
CONFIG = '[project]\nname = "app"\nversion = "0"\n'


def _fix(project: Path, *paths: str) -> Result:
    saved = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(
            main,
            ["check", "--fix", "--no-cache", "--jobs", "1", *(paths or ["."])],
            catch_exceptions=False,
        )
    finally:
        os.chdir(saved)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(CONFIG)
    (project / "good.py").write_text(DROPPED)
    return project


def _fixed_elsewhere(project: Path, result: Result) -> None:
    """The writable file was fixed, and its finding counted as fixed."""
    assert (project / "good.py").read_text().endswith("    await job()\n")
    assert "good.py:" not in result.stdout
    assert "(1 fixed, 1 remaining" in result.stderr


def test_a_link_out_of_the_project_keeps_its_findings(tmp_path: Path) -> None:
    project = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "lib.py").write_text(BLOCKING)
    (project / "linked.py").symlink_to(outside / "lib.py")

    result = _fix(project)

    assert result.stdout.splitlines() == [
        "linked.py: error: is a symbolic link to a file outside the project; not fixed",
        (
            "linked.py:9:5: ASL301 blocking call `pause()` inside `async def` "
            "(blocks through `linked.pause` -> `time.sleep`)"
        ),
    ]
    assert (outside / "lib.py").read_text() == BLOCKING
    assert (project / "linked.py").is_symlink()
    _fixed_elsewhere(project, result)
    assert result.exit_code == 1
    # The file was checked; it is its fixes that were not written.
    assert "The fixes of 1 file could not be written." in result.stderr
    assert "could not be checked" not in result.stderr


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes a read-only file anyway; see the next test"
)
def test_a_read_only_file_keeps_its_findings(tmp_path: Path) -> None:
    project = _project(tmp_path)
    vendored = project / "vendored.py"
    vendored.write_text(BLOCKING)
    vendored.chmod(stat.S_IRUSR | stat.S_IRGRP)

    result = _fix(project)

    assert result.stdout.splitlines() == [
        "vendored.py: error: is read-only; not fixed",
        (
            "vendored.py:9:5: ASL301 blocking call `pause()` inside `async def` "
            "(blocks through `vendored.pause` -> `time.sleep`)"
        ),
    ]
    assert vendored.read_text() == BLOCKING
    _fixed_elsewhere(project, result)
    assert result.exit_code == 1


def test_a_file_the_access_check_refuses_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The read-only case for root: answer the access check as for a user.
    project = _project(tmp_path)
    vendored = project / "vendored.py"
    vendored.write_text(BLOCKING)
    real = os.access

    def access(path: object, mode: int) -> bool:
        if Path(str(path)).name == "vendored.py" and mode == os.W_OK:
            return False
        return real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(writing.os, "access", access)
    result = _fix(project)

    assert result.stdout.splitlines() == [
        "vendored.py: error: is read-only; not fixed",
        (
            "vendored.py:9:5: ASL301 blocking call `pause()` inside `async def` "
            "(blocks through `vendored.pause` -> `time.sleep`)"
        ),
    ]
    assert vendored.read_text() == BLOCKING
    _fixed_elsewhere(project, result)
    assert result.exit_code == 1


def test_a_directory_that_refuses_the_new_file_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod does not stop root, so refuse the temporary file where it is made.
    project = _project(tmp_path)
    (project / "locked").mkdir()
    (project / "locked" / "tasks.py").write_text(BLOCKING + DROPPED)
    real = writing.tempfile.mkstemp

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(writing.tempfile, "mkstemp", mkstemp)
    result = _fix(project)

    tasks = os.path.join("locked", "tasks.py")
    assert result.stdout.splitlines() == [
        f"{tasks}: error: cannot write the fix: Permission denied",
        (
            f"{tasks}:9:5: ASL301 blocking call `pause()` inside `async def` "
            "(blocks through `tasks.pause` -> `time.sleep`)"
        ),
        (
            f"{tasks}:15:5: ASL102 coroutine from `tasks.job()` is never "
            "awaited: its result is dropped, so it never runs"
        ),
    ]
    assert (project / "locked" / "tasks.py").read_text() == BLOCKING + DROPPED
    assert sorted(p.name for p in (project / "locked").iterdir()) == ["tasks.py"]
    assert (project / "good.py").read_text().endswith("    await job()\n")
    assert "(1 fixed, 2 remaining" in result.stderr
    assert result.exit_code == 1


def test_only_the_link_named_on_the_command_line_is_reported(tmp_path: Path) -> None:
    project = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "lib.py").write_text(DROPPED)
    (project / "linked.py").symlink_to(outside / "lib.py")

    result = _fix(project, "linked.py")

    assert result.stdout.splitlines() == [
        "linked.py: error: is a symbolic link to a file outside the project; not fixed",
        (
            "linked.py:6:5: ASL102 coroutine from `linked.job()` is never awaited: "
            "its result is dropped, so it never runs"
        ),
    ]
    assert "Found 1 violation" in result.stderr
    assert " fixed" not in result.stderr
    assert (outside / "lib.py").read_text() == DROPPED
    assert (project / "good.py").read_text() == DROPPED
    assert result.exit_code == 1


def test_a_file_edited_during_the_fix_is_reported_as_it_now_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An editor saves the file after asynclint read it and before it writes.
    project = _project(tmp_path)
    edited = project / "edited.py"
    edited.write_text(DROPPED)
    real = check_outcome.write_fixed

    def write_fixed(path: Path, original: str, text: str, root: Path) -> object:
        if path.name == "edited.py":
            path.write_text("# saved by an editor\n" + DROPPED)
        return real(path, original, text, root)

    monkeypatch.setattr(check_outcome, "write_fixed", write_fixed)
    result = _fix(project)

    assert result.stdout.splitlines() == [
        "edited.py: error: changed while it was being fixed; not written",
        (
            "edited.py:7:5: ASL102 coroutine from `edited.job()` is never awaited: "
            "its result is dropped, so it never runs"
        ),
    ]
    assert edited.read_text() == "# saved by an editor\n" + DROPPED
    _fixed_elsewhere(project, result)
    assert result.exit_code == 1
