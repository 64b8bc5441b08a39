"""Reading a project's packaging files leniently: a file that is missing,
unreadable or malformed reads as empty (its declarations are not there to
count), never as an error of the run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def read_text(path: Path) -> str | None:
    """The file's text, undecodable bytes replaced; None if it cannot be read."""
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return None


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML document, or an empty one."""
    text = read_text(path)
    if text is None:
        return {}
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError:
        return {}
