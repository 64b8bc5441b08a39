"""The JUnit format: well-formed XML that says what failed where."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from asynclint.output import Report, render
from asynclint.types import CodePosition, CodeRange, Violation

pytestmark = pytest.mark.usefixtures("fake_rules")


def _parse(report: Report) -> ElementTree.Element:
    out = render(report, "junit")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ElementTree.fromstring(out.encode("utf-8"))


def test_counts_add_up(make_report: Callable[..., Report]) -> None:
    report = make_report()

    root = _parse(report)

    assert root.tag == "testsuites"
    assert root.get("tests") == str(len(report.violations) + len(report.errors))
    assert root.get("failures") == str(len(report.violations))
    assert root.get("errors") == str(len(report.errors))
    suites = root.findall("testsuite")
    assert sum(int(s.get("tests", "0")) for s in suites) == int(root.get("tests", ""))


def test_one_suite_per_file_with_a_case_per_violation(
    make_report: Callable[..., Report], cwd: Path
) -> None:
    report = make_report(errors=[])

    root = _parse(report)

    failures = [
        (suite.get("name"), case.find("failure"))
        for suite in root.iter("testsuite")
        for case in suite.iter("testcase")
    ]
    assert len(failures) == len(report.violations)
    names = {str(name) for name, _ in failures}
    assert "src/ünïcode/app.py" in names and "weird, 100%: name.py" in names
    expected = {(v.code, v.message) for v in report.violations}
    found = {(f.get("type"), f.get("message")) for _, f in failures if f is not None}
    assert found == expected


def test_file_errors_are_errors(make_report: Callable[..., Report]) -> None:
    root = _parse(make_report(violations=[]))

    errors = list(root.iter("error"))

    kinds = {(e.get("type"), e.get("message")) for e in errors}
    assert ("syntax error", "invalid syntax") in kinds
    texts = {e.text for e in errors}
    assert "broken.py:2:5: syntax error: invalid syntax" in texts


def test_markup_and_control_characters_stay_well_formed(cwd: Path) -> None:
    where = CodeRange(CodePosition(1, 0), CodePosition(1, 1))
    message = 'a <b> & "c" \x07 bell\nnext'
    violation = Violation(cwd / "x&y.py", where, "ASL101", message)

    root = _parse(Report([violation], cwd=cwd))

    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == message.replace("\x07", "\\u0007")
    assert root.find("testsuite").get("name") == "x&y.py"  # type: ignore[union-attr]


def test_nothing_to_show_is_an_empty_suite_list(cwd: Path) -> None:
    root = _parse(Report(cwd=cwd))

    assert root.get("tests") == "0" and list(root) == []
