"""The JSON format, shaped like ruff's: a list with one object per entry.

Each violation has `code`, `message`, `filename` (absolute), `location` and
`end_location` (`row`, 1-based `column`; the end is exclusive), `fix` (null,
or `applicability` "safe"/"unsafe", `message` and the `edits` the fix makes,
each with `content`, `location`, `end_location` and the absolute
`filename` of the file it edits: the violation's own, or the pytest config
a marker registration goes to), `url` (the
rule's documentation anchor), `noqa_row` (the line a suppression comment
must be on) and `cell` (always null: notebooks are not checked). Keys are
sorted. A file that could not be checked is an entry like ruff's syntax
errors: `code`, `fix`, `url` and `noqa_row` are null, the message is the
error's text, and a location without a place is row 1, column 1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from asynclint.output.file_errors import error_column, has_place
from asynclint.output.links import rule_url
from asynclint.output.paths import absolute_path, printable
from asynclint.output.report import Report, TextEdit
from asynclint.types import CodePosition, FileError, Violation

JsonObject = dict[str, object]


def render(report: Report) -> str:
    """A JSON array, indented, ending in a newline."""
    entries = [_entry(item, report) for item in report.in_order()]
    return json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _entry(item: Violation | FileError, report: Report) -> JsonObject:
    filename = absolute_path(item.path, report.cwd)
    if isinstance(item, FileError):
        return _error_entry(item, filename)

    return {
        "cell": None,
        "code": item.code,
        "message": printable(item.message),
        "filename": filename,
        "location": _location(item.range.start),
        "end_location": _location(item.range.end),
        "fix": _fix(item, report.edits.get(item, ()), report),
        "url": rule_url(item.code),
        "noqa_row": item.line,
    }


def _fix(
    violation: Violation, edits: Sequence[TextEdit], report: Report
) -> JsonObject | None:
    if violation.fix is None:
        return None
    return {
        "applicability": violation.fix.applicability.value,
        "message": printable(violation.fix.description),
        "edits": [_edit(edit, violation, report) for edit in edits],
    }


def _edit(edit: TextEdit, violation: Violation, report: Report) -> JsonObject:
    return {
        "content": edit.content,
        "filename": absolute_path(edit.path or violation.path, report.cwd),
        "location": _location(edit.start),
        "end_location": _location(edit.end),
    }


def _location(position: CodePosition) -> JsonObject:
    return {"row": position.line, "column": position.column + 1}


def _error_entry(error: FileError, filename: str) -> JsonObject:
    row, column = (error.line, error_column(error)) if has_place(error) else (1, 1)
    place = {"row": row, "column": column}
    return {
        "cell": None,
        "code": None,
        "message": printable(error.message),
        "filename": filename,
        "location": place,
        "end_location": dict(place),
        "fix": None,
        "url": None,
        "noqa_row": None,
    }
