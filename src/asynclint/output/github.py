"""The GitHub format: workflow commands that annotate the changed lines.

A violation reads
`::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE slug::CODE message`
and a file error `::error file=PATH,line=L,col=C,title=LABEL::DETAIL` (no
line or column when it has none). Columns are 1-based and the end column is
exclusive. Property values escape `%`, CR, LF, `:` and `,`; the message
escapes `%`, CR and LF, as the runner expects.
"""

from __future__ import annotations

from asynclint.output.file_errors import error_column, error_text, has_place
from asynclint.output.links import rule_slug
from asynclint.output.paths import display_path, printable
from asynclint.output.report import Report
from asynclint.types import FileError, Violation


def render(report: Report) -> str:
    """One command per line, each ending in a newline."""
    lines = [_command(entry, report) for entry in report.in_order()]
    return "".join(line + "\n" for line in lines)


def escape_data(text: str) -> str:
    """Escape a command's message so the runner reads it back unchanged."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, which also may not contain `:` or `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(entry: Violation | FileError, report: Report) -> str:
    properties: list[tuple[str, object]] = [
        ("file", display_path(entry.path, report.cwd))
    ]
    if isinstance(entry, Violation):
        end = max(entry.range.start, entry.range.end)
        slug = rule_slug(entry.code)
        properties += [
            ("line", entry.line),
            ("col", entry.column),
            ("endLine", end.line),
            ("endColumn", end.column + 1),
            ("title", f"{entry.code} {slug}" if slug else entry.code),
        ]
        return _format(properties, f"{entry.code} {entry.message}")

    text = error_text(entry)
    if has_place(entry):
        properties += [("line", entry.line), ("col", error_column(entry))]
    properties.append(("title", text.label))
    return _format(properties, text.detail)


def _format(properties: list[tuple[str, object]], message: str) -> str:
    joined = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties
    )
    return f"::error {joined}::{escape_data(message)}"
