"""Atomic, encoding-preserving writes of fixed files."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl
    fcntl = None  # type: ignore[assignment]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename, keeping the file's mode.

    The new content goes to a temporary file in the same directory, is
    flushed to disk, and then renamed over the original, so a reader (or a
    crash) sees either the old bytes or the new bytes, never a mix.
    """
    directory = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".asynclint-tmp", dir=directory
    )
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock tied to `path` for the block.

    Used around read-modify-write cycles of shared files (the pytest config)
    so that parallel `--fix` processes, as pre-commit starts them, apply
    their edits one after another.
    """
    # The lock lives outside the project so that no stray file is left in
    # the user's tree; the name is derived from the absolute path.
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    lock_dir = Path(tempfile.gettempdir()) / "asynclint-locks"
    lock_dir.mkdir(exist_ok=True)
    lock_path = lock_dir / f"{digest}.lock"
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
