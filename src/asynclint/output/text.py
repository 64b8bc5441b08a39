"""The text format: one line per violation or file error, for people and greps.

A violation reads `path:line:col: CODE message` and nothing else, so that the
line matches `^(?P<path>.+?):(?P<line>\\d+):(?P<col>\\d+): (?P<code>[A-Z]+\\d+)\\b`;
whether it is fixable is told by the summary. A file error reads
`path:line:col: label: detail`, or `path: label: detail` when it has no
place (see `file_errors`). Colour codes appear only when the report asks.
"""

from __future__ import annotations

from asynclint.output.file_errors import error_column, error_text, has_place
from asynclint.output.paths import display_path, printable
from asynclint.output.report import Report
from asynclint.types import FileError, Violation

_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_CYAN = "\x1b[36m"
_RESET = "\x1b[0m"


def render(report: Report) -> str:
    """All lines, each ending in a newline; empty when there is nothing."""
    lines = [_line(entry, report) for entry in report.in_order()]
    return "".join(line + "\n" for line in lines)


def _line(entry: Violation | FileError, report: Report) -> str:
    paint = _Painter(report.color)
    path = paint.bold(display_path(entry.path, report.cwd))
    if isinstance(entry, Violation):
        place = paint.colon().join([path, str(entry.line), str(entry.column)])
        message = _one_line(entry.message)
        return f"{place}{paint.colon()} {paint.code(entry.code)} {message}"

    text = error_text(entry)
    place = path
    if has_place(entry):
        place = paint.colon().join([path, str(entry.line), str(error_column(entry))])
    detail = _one_line(text.detail)
    return f"{place}{paint.colon()} {paint.code(text.label)}: {detail}"


def _one_line(message: str) -> str:
    # A newline inside a message would start a line that parsers misread.
    return printable(message).replace("\r", "\\r").replace("\n", "\\n")


class _Painter:
    """Wraps pieces of a line in ANSI colour codes, or leaves them alone."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def bold(self, text: str) -> str:
        return self._wrap(_BOLD, text)

    def code(self, text: str) -> str:
        return self._wrap(_BOLD + _RED, text)

    def colon(self) -> str:
        return self._wrap(_CYAN, ":")

    def _wrap(self, start: str, text: str) -> str:
        return f"{start}{text}{_RESET}" if self.enabled else text
