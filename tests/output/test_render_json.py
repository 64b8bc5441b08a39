"""The JSON format: ruff's shape, one object per violation or file error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from asynclint.output import Report, TextEdit, render
from asynclint.output.links import rule_url
from asynclint.types import CodePosition, Violation

pytestmark = pytest.mark.usefixtures("fake_rules")

KEYS = {
    "cell",
    "code",
    "end_location",
    "filename",
    "fix",
    "location",
    "message",
    "noqa_row",
    "url",
}


def _entries(report: Report) -> list[dict[str, object]]:
    loaded = json.loads(render(report, "json"))
    assert isinstance(loaded, list)
    return loaded


def test_each_violation_has_ruffs_fields(make_report: Callable[..., Report]) -> None:
    report = make_report(errors=[])

    entries = _entries(report)

    assert len(entries) == len(report.violations)
    for entry, violation in zip(entries, report.violations, strict=True):
        assert set(entry) == KEYS
        assert entry["code"] == violation.code
        assert entry["message"] == violation.message
        assert Path(str(entry["filename"])).is_absolute()
        assert Path(str(entry["filename"])) == violation.path
        assert entry["location"] == {"row": violation.line, "column": violation.column}
        end = violation.range.end
        assert entry["end_location"] == {"row": end.line, "column": end.column + 1}
        assert entry["noqa_row"] == violation.line
        assert entry["url"] == rule_url(violation.code)


def test_known_rules_link_to_their_docs_and_others_do_not(
    make_report: Callable[..., Report], awaited: Violation, foreign: Violation
) -> None:
    entries = _entries(make_report(violations=[awaited, foreign], errors=[]))

    by_code = {entry["code"]: entry for entry in entries}
    assert str(by_code["ASL101"]["url"]).endswith("#asl101-await-not-awaitable")
    assert by_code["ASL999"]["url"] is None


def test_fix_carries_applicability_message_and_edits(
    make_report: Callable[..., Report], awaited: Violation, blocking: Violation
) -> None:
    report = make_report(violations=[awaited, blocking], errors=[])

    safe, unsafe = (entry["fix"] for entry in _entries(report))

    assert awaited.fix is not None and blocking.fix is not None
    edit = report.edits[awaited][0]
    assert safe == {
        "applicability": "safe",
        "message": awaited.fix.description,
        "edits": [
            {
                "content": edit.content,
                "filename": str(awaited.path),
                "location": {"row": edit.start.line, "column": edit.start.column + 1},
                "end_location": {"row": edit.end.line, "column": edit.end.column + 1},
            }
        ],
    }
    assert unsafe == {
        "applicability": "unsafe",
        "message": blocking.fix.description,
        "edits": [],
    }


def test_no_fix_is_null(make_report: Callable[..., Report], foreign: Violation) -> None:
    (entry,) = _entries(make_report(violations=[foreign], errors=[]))

    assert entry["fix"] is None


def test_file_errors_are_entries_without_a_code(
    cwd: Path, make_report: Callable[..., Report]
) -> None:
    report = make_report(violations=[])

    entries = _entries(report)

    by_name = {Path(str(entry["filename"])).name: entry for entry in entries}
    assert by_name["broken.py"]["code"] is None
    assert by_name["broken.py"]["message"] == "syntax error: invalid syntax"
    assert by_name["broken.py"]["location"] == {"row": 2, "column": 5}
    assert by_name["binary.py"]["location"] == {"row": 1, "column": 1}
    for entry in entries:
        assert set(entry) == KEYS
        assert entry["fix"] is None and entry["noqa_row"] is None


def test_unicode_is_written_as_is(make_report: Callable[..., Report]) -> None:
    out = render(make_report(), "json")

    assert "ünïcode" in out and "—" in out


def test_nothing_to_show_is_an_empty_list(cwd: Path) -> None:
    assert json.loads(render(Report(cwd=cwd), "json")) == []


def test_an_edit_of_another_file_names_it(
    cwd: Path, make_report: Callable[..., Report], awaited: Violation
) -> None:
    config = cwd / "pyproject.toml"
    at = CodePosition(3, 0)
    edits = {awaited: [TextEdit(at, at, '    "slow",\n', config)]}

    (entry,) = _entries(make_report(violations=[awaited], errors=[], edits=edits))

    fix = entry["fix"]
    assert isinstance(fix, dict)
    assert fix["edits"] == [
        {
            "content": '    "slow",\n',
            "filename": str(config),
            "location": {"row": 3, "column": 1},
            "end_location": {"row": 3, "column": 1},
        }
    ]
