"""How a file that could not be checked is labelled and located.

A `FileError` message may start with its own label, a lowercase phrase
ending in "error" and a colon ("syntax error: invalid syntax"); any other
message is labelled "error". The engine should therefore word syntax errors
as "syntax error: ...", so that text output reads
`path:line:col: syntax error: ...`. `line` 0 means the error has no place
in the file; `column` is 1-based and 0 means unknown, shown as column 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from asynclint.output.paths import display_path
from asynclint.types import FileError

_LABELLED = re.compile(r"(?P<label>[a-z][a-z -]*error): (?P<detail>.*)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ErrorText:
    """A file error split into its label and the detail after it."""

    label: str
    detail: str


def error_text(error: FileError) -> ErrorText:
    """The label and detail of a file error's message."""
    match = _LABELLED.fullmatch(error.message)
    if match is None:
        return ErrorText("error", error.message)
    return ErrorText(match["label"], match["detail"])


def has_place(error: FileError) -> bool:
    """Whether the error points at a line of the file."""
    return error.line > 0


def error_column(error: FileError) -> int:
    """The 1-based column to show for an error with a place."""
    return max(error.column, 1)


def error_location(error: FileError, cwd: Path) -> str:
    """`path:line:col`, or only `path` when the error has no place."""
    path = display_path(error.path, cwd)
    if not has_place(error):
        return path
    return f"{path}:{error.line}:{error_column(error)}"
