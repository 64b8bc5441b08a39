"""How file paths are shown: relative to the working directory when inside it."""

from __future__ import annotations

import os
from pathlib import Path


def printable(text: str) -> str:
    """`text` with undecodable bytes (lone surrogates) written as `\\xNN`."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # A surrogate that stands for no byte: keep what can be kept.
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def absolute(path: Path, cwd: Path) -> Path:
    """`path` made absolute against `cwd`, with `..` folded but links kept."""
    return Path(os.path.abspath(cwd / path))


def relative_to_cwd(path: Path, cwd: Path) -> Path | None:
    """`path` relative to `cwd`, or None when it lies outside it."""
    full = absolute(path, cwd)
    base = Path(os.path.abspath(cwd))
    if not full.is_relative_to(base):
        return None
    return full.relative_to(base)


def display_path(path: Path, cwd: Path) -> str:
    """The path users see: relative when inside `cwd`, else as given; posix."""
    inside = relative_to_cwd(path, cwd)
    shown = inside if inside is not None else path
    return printable(shown.as_posix())


def absolute_path(path: Path, cwd: Path) -> str:
    """The absolute path as a printable string."""
    return printable(str(absolute(path, cwd)))


def artifact_uri(path: Path, cwd: Path) -> tuple[str, bool]:
    """A URI for `path` and whether it is relative to `cwd`.

    Inside `cwd` the URI is a percent-encoded relative reference; outside it
    is an absolute `file:` URI.
    """
    from urllib.parse import quote  # SARIF only: kept off every run's start

    inside = relative_to_cwd(path, cwd)
    if inside is None:
        return absolute(path, cwd).as_uri(), False
    # Encoding the file system bytes names an undecodable file correctly.
    return quote(os.fsencode(inside.as_posix()), safe="/"), True


def directory_uri(cwd: Path) -> str:
    """The `file:` URI of a directory, ending in a slash as SARIF asks."""
    uri = Path(os.path.abspath(cwd)).as_uri()
    return uri if uri.endswith("/") else uri + "/"
