"""Writing fixed files: atomic, in the file's encoding and mode, never blind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from asynclint import writing
from asynclint.writing import encode_like, write_atomic, write_fixed

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    ("original", "text", "expected"),
    [
        (b"x = 1\n", "y = 2\n", b"y = 2\n"),
        (BOM + b"x = 1\n", "y = 2\n", BOM + b"y = 2\n"),
        # Text that kept its U+FEFF (read as plain UTF-8) gets one BOM, not two.
        (BOM + b"x = 1\n", "\ufeffy = 2\n", BOM + b"y = 2\n"),
        (
            b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
            "# -*- coding: latin-1 -*-\ny = '\xe9'\n",
            b"# -*- coding: latin-1 -*-\ny = '\xe9'\n",
        ),
        (b"x = 1\r\n", "y = 2\r\n", b"y = 2\r\n"),
    ],
)
def test_encode_like_keeps_the_encoding(
    original: bytes, text: str, expected: bytes
) -> None:
    assert encode_like(original, text) == expected


def test_write_atomic_keeps_mode_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_bytes(b"old\n")
    path.chmod(0o751)

    write_atomic(path, b"new\n")

    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tool.py"]


def test_write_atomic_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"old\n")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing.os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(path, b"new\n")

    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


def test_write_fixed_writes_when_the_file_still_holds_the_original(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(BOM + b"f()\r\n")

    outcome = write_fixed(path, "f()\r\n", "await f()\r\n", tmp_path)

    assert outcome.written and outcome.problem is None
    assert path.read_bytes() == BOM + b"await f()\r\n"


def test_write_fixed_never_overwrites_a_file_changed_since_it_was_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.py"
    path.write_text("edited by the user\n")

    outcome = write_fixed(path, "f()\n", "await f()\n", tmp_path)

    assert not outcome.written
    assert outcome.problem == "changed while it was being fixed; not written"
    assert path.read_text() == "edited by the user\n"


def test_write_fixed_is_quiet_when_another_run_already_wrote_the_fix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.py"
    path.write_text("await f()\n")
    before = path.stat().st_ino

    outcome = write_fixed(path, "f()\n", "await f()\n", tmp_path)

    assert not outcome.written and outcome.problem is None
    assert path.stat().st_ino == before


def test_write_fixed_writes_through_a_link_inside_the_project(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text("f()\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)

    outcome = write_fixed(link, "f()\n", "await f()\n", tmp_path)

    assert outcome.written
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert target.read_text() == "await f()\n"


def test_write_fixed_refuses_a_link_that_leaves_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "lib.py"
    target.write_text("f()\n")
    project = tmp_path / "project"
    project.mkdir()
    link = project / "lib.py"
    link.symlink_to(target)

    outcome = write_fixed(link, "f()\n", "await f()\n", project)

    assert not outcome.written
    assert outcome.problem is not None and "outside the project" in outcome.problem
    assert target.read_text() == "f()\n"
    assert link.is_symlink()


def test_write_fixed_reports_an_unwritable_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom chmod does not deny; simulate the refusal.
    path = tmp_path / "a.py"
    path.write_text("f()\n")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writing.tempfile, "mkstemp", refuse)
    outcome = write_fixed(path, "f()\n", "await f()\n", tmp_path)

    assert not outcome.written
    assert outcome.problem == "cannot write the fix: Permission denied"
    assert path.read_text() == "f()\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file away")
def test_write_atomic_keeps_the_owner(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("old\n")
    os.chown(path, 12345, 12345)

    write_atomic(path, b"new\n")

    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 12345)


def test_write_atomic_writes_through_a_link_and_keeps_it(tmp_path: Path) -> None:
    """The pytest config edit uses it too: a linked config must stay linked."""
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "pyproject.toml"
    target.write_text("old\n")
    link = tmp_path / "pyproject.toml"
    link.symlink_to("shared/pyproject.toml")

    write_atomic(link, b"new\n")

    assert link.is_symlink()
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml", "shared"]


def test_write_fixed_leaves_a_read_only_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anything, so answer the access check as for a user.
    path = tmp_path / "vendored.py"
    path.write_text("f()\n")
    real = os.access
    monkeypatch.setattr(
        writing.os, "access", lambda p, mode: False if p == path else real(p, mode)
    )

    outcome = write_fixed(path, "f()\n", "await f()\n", tmp_path)

    assert outcome == writing.WriteOutcome(path, False, "is read-only; not fixed")
    assert path.read_text() == "f()\n"


def test_locked_runs_the_block_when_no_lock_file_can_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock directory made by another user must not stop every fix."""
    not_a_dir = tmp_path / "tmp-is-a-file"
    not_a_dir.write_text("")
    monkeypatch.setattr(writing.tempfile, "gettempdir", lambda: str(not_a_dir))
    ran = []

    with writing.locked(tmp_path / "a.py"):
        ran.append(True)

    assert ran == [True]


def test_locked_excludes_a_second_holder(tmp_path: Path) -> None:
    import fcntl
    import hashlib
    import tempfile

    target = tmp_path / "pyproject.toml"
    digest = hashlib.sha1(str(target.resolve()).encode()).hexdigest()[:16]
    lock = (
        Path(tempfile.gettempdir())
        / f"asynclint-locks-{os.getuid()}"
        / f"{digest}.lock"
    )

    with writing.locked(target):
        fd = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


def test_fixed_files_reach_the_disk_and_cache_files_do_not_wait_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from asynclint.cli import main

    synced: list[int] = []
    real_fsync = os.fsync

    def counted(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counted)
    (tmp_path / "app.py").write_text(
        "def ready():\n    return 1\n\n\nasync def main():\n    await ready()\n"
    )
    monkeypatch.chdir(tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    CliRunner().invoke(main, [*cache, "app.py"], catch_exceptions=False)
    assert list((tmp_path / "cache").iterdir())  # the cache was written
    assert synced == []
    CliRunner().invoke(main, [*cache, "--fix", "app.py"], catch_exceptions=False)
    assert "await ready()" not in (tmp_path / "app.py").read_text()
    assert synced  # the fix itself, file and directory
