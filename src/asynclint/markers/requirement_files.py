"""pip requirement files: which there are, and the requirements they hold.

A file may pull in another with `-r other.txt` (or `--requirement`),
which pip reads relative to the including file; each file is read once,
so a cycle of includes ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from asynclint.markers.plugins import normalise

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s=]))(\S.*)$")
# The names pip-tools, pip and most projects give requirement files.
_PATTERNS = ("*requirements*.txt", "*requirements*.in", "requirements/*.txt")


def requirement_name(requirement: str) -> str | None:
    """The distribution a PEP 508 requirement string names."""
    found = _NAME.match(requirement)
    return normalise(found.group(1)) if found else None


def requirement_files(directory: Path) -> list[Path]:
    """The requirement files in `directory`, by their usual names."""
    found: dict[Path, None] = {}
    for pattern in _PATTERNS:
        found.update((path, None) for path in sorted(directory.glob(pattern)))
    return [path for path in found if path.is_file()]


def requirement_lines(lines: list[str], base: Path, seen: set[Path]) -> Iterator[str]:
    """The requirements (PEP 508 strings) in `lines` of a requirement file
    in `base`, and in the files they include; `seen` holds the files
    already read."""
    for raw in _joined(lines):
        line = raw.split(" #", 1)[0].strip()
        include = _INCLUDE.match(line)
        if include is not None:
            yield from required_by(base / include.group(1).strip(), seen)
            continue
        if not line or line.startswith(("#", "-")):
            continue
        if requirement_name(line):
            yield line


def required_by(path: Path, seen: set[Path]) -> Iterator[str]:
    """The requirements of the file at `path`, includes followed."""
    try:
        resolved = path.resolve()
        if resolved in seen:
            return
        seen.add(resolved)
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return
    yield from requirement_lines(text.splitlines(), path.parent, seen)


def _joined(lines: list[str]) -> Iterator[str]:
    """Lines with pip's backslash continuations joined."""
    pending = ""
    for line in lines:
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        yield pending + line
        pending = ""
    if pending:
        yield pending
