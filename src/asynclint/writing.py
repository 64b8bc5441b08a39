"""Atomic, encoding-preserving writes of fixed files."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from asynclint.index import decode_source

logger = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl
    fcntl = None  # type: ignore[assignment]


_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """What happened to one fixed file: written, or why not."""

    path: Path
    written: bool
    problem: str | None = None


def encode_like(original: bytes, text: str) -> bytes:
    """Encode `text` as `original` was: its coding cookie, or UTF-8 with its BOM.

    Decoding with `utf-8-sig` drops the BOM, but text from another source
    (stdin read as UTF-8) may still start with U+FEFF, so it is written once.
    """
    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    if encoding == "utf-8-sig" or original.startswith(_BOM):
        return _BOM + text.removeprefix("\ufeff").encode("utf-8")
    return text.encode(encoding)


def write_fixed(path: Path, original: str, text: str, root: Path) -> WriteOutcome:
    """Replace the fixed file `path`, whose text was `original`, with `text`.

    The file is written only if it still holds `original` (a parallel run or
    an editor may have changed it since it was read), through a symbolic
    link only when the link's target lies inside `root`, and in the
    encoding, BOM and mode it had.
    """
    target, refusal = _writable_target(path, root)
    if refusal is not None:
        return WriteOutcome(path, False, refusal)
    try:
        with locked(target):
            data = target.read_bytes()
            current = decode_source(data)
            if current == text:
                return WriteOutcome(path, False)
            if current != original:
                problem = "changed while it was being fixed; not written"
                return WriteOutcome(path, False, problem)
            write_atomic(target, encode_like(data, text))
    except (OSError, SyntaxError, UnicodeError, LookupError) as error:
        reason = getattr(error, "strerror", None) or error
        return WriteOutcome(path, False, f"cannot write the fix: {reason}")
    return WriteOutcome(path, True)


def rewrite_config(path: Path, edit: Callable[[str], str], root: Path) -> WriteOutcome:
    """Replace the config file `path` (a pytest.ini, a pyproject.toml) with
    `edit` applied to its text, under the file's lock.

    The text is read again under the lock, so parallel fixers each edit the
    previous one's result. A missing file counts as empty and is created;
    the same links and read-only files as `write_fixed`'s are refused, and
    so is a file that is not UTF-8, which every reader of it expects.
    """
    target, refusal = _writable_target(path, root)
    if refusal is not None:
        return WriteOutcome(path, False, refusal)
    try:
        with locked(target):
            try:
                data = target.read_bytes()
            except FileNotFoundError:
                data = b""
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return WriteOutcome(path, False, "is not valid UTF-8; not fixed")
            edited = edit(text)
            if edited == text:
                return WriteOutcome(path, False)
            write_atomic(target, edited.encode("utf-8"))
    except OSError as error:
        reason = error.strerror or error
        return WriteOutcome(path, False, f"cannot write the fix: {reason}")
    return WriteOutcome(path, True)


def _writable_target(path: Path, root: Path) -> tuple[Path, str | None]:
    """The file a fix of `path` writes, or why it must not be written: a
    symbolic link is followed only to a target inside `root`."""
    target = path
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            problem = "is a symbolic link to a file outside the project; not fixed"
            return target, problem
    if target.exists() and not os.access(target, os.W_OK):
        # Replacing the file by rename would succeed in a writable directory,
        # but a read-only file says it is not to be changed.
        return target, "is read-only; not fixed"
    return target, None


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` in one rename, keeping the file's mode.

    The new content goes to a temporary file in the same directory, is
    flushed to disk, and then renamed over the original, so a reader (or a
    crash) sees either the old bytes or the new bytes, never a mix. A
    symbolic link is written through: its target changes, the link stays.

    The cache's files pass `durable=False`: the rename still keeps readers
    from a half-written file, but nothing waits for the disk, since a
    file torn by a crash only reads as a miss (every cache reader treats an
    unreadable file so). A pre-commit run writes several and waited ~1 ms
    on each `fsync`.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    directory = path.parent
    try:
        status: os.stat_result | None = path.stat()
    except FileNotFoundError:
        status = None
    mode = status.st_mode & 0o7777 if status else 0o644
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".asynclint-tmp", dir=directory
    )
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            if durable:
                os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        if status is not None and hasattr(os, "chown") and status.st_uid != _euid():
            # Run as root on another user's file: keep it theirs.
            with contextlib.suppress(OSError):
                os.chown(tmp_name, status.st_uid, status.st_gid)
        os.replace(tmp_name, path)
        if durable:
            _sync_directory(directory)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; best effort where unsupported."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock tied to `path` for the block.

    Used around read-modify-write cycles of shared files (the pytest config)
    so that parallel `--fix` processes, as pre-commit starts them, apply
    their edits one after another. Where no lock file can be made, the
    block runs unlocked rather than not at all.
    """
    fd = _open_lock(path)
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _open_lock(path: Path) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    # The lock lives outside the project so that no stray file is left in
    # the user's tree; the name is derived from the absolute path. One
    # directory per user: another user's would not let us create files.
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    user = os.getuid() if hasattr(os, "getuid") else "user"
    lock_dir = Path(tempfile.gettempdir()) / f"asynclint-locks-{user}"
    try:
        lock_dir.mkdir(mode=0o700, exist_ok=True)
        return os.open(lock_dir / f"{digest}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        logger.debug("no lock for %s: %s", path, error)
        return None
