"""The GitHub format: workflow commands that survive any path or message."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from asynclint.output import Report, render
from asynclint.output.github import escape_data, escape_property
from asynclint.output.links import rule_slug
from asynclint.types import CodePosition, CodeRange, Violation

pytestmark = pytest.mark.usefixtures("fake_rules")

COMMAND = re.compile(r"::error (?P<properties>[^:]*)::(?P<message>.*)")


def _unescape(text: str) -> str:
    for escaped, raw in (("%2C", ","), ("%3A", ":"), ("%0D", "\r"), ("%0A", "\n")):
        text = text.replace(escaped, raw)
    return text.replace("%25", "%")


def _parse(line: str) -> tuple[dict[str, str], str]:
    """Read a command back the way the runner does."""
    match = COMMAND.fullmatch(line)
    assert match is not None, line
    properties = {}
    for pair in match["properties"].split(","):
        key, _, value = pair.partition("=")
        properties[key] = _unescape(value)
    return properties, _unescape(match["message"])


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50%, a:b\r\nnext") == "50%25, a:b%0D%0Anext"
    assert escape_property("50%, a:b\r\n") == "50%25%2C a%3Ab%0D%0A"


def test_escaping_is_undone_by_the_runner() -> None:
    text = "%0A is not a newline, 100% : yes\n"

    assert _unescape(escape_property(text)) == text
    assert _unescape(escape_data(text)) == text


def test_violations_round_trip(
    make_report: Callable[..., Report], cwd: Path, outside: Path
) -> None:
    report = make_report(errors=[])

    lines = render(report, "github").splitlines()

    assert len(lines) == len(report.violations)
    for line, violation in zip(lines, report.violations, strict=True):
        properties, message = _parse(line)
        if violation.path == outside:
            assert properties["file"] == outside.as_posix()
        else:
            assert properties["file"] == violation.path.relative_to(cwd).as_posix()
        end = violation.range.end
        assert properties["line"] == str(violation.line)
        assert properties["col"] == str(violation.column)
        assert properties["endLine"] == str(end.line)
        assert properties["endColumn"] == str(end.column + 1)
        slug = rule_slug(violation.code)
        title = f"{violation.code} {slug}" if slug else violation.code
        assert properties["title"] == title
        assert message == f"{violation.code} {violation.message}"


def test_properties_are_in_documented_order(
    make_report: Callable[..., Report], odd_name: Violation
) -> None:
    out = render(make_report(violations=[odd_name], errors=[]), "github")

    match = COMMAND.fullmatch(out.rstrip("\n"))
    assert match is not None
    keys = [pair.split("=")[0] for pair in match["properties"].split(",")]
    assert keys == ["file", "line", "col", "endLine", "endColumn", "title"]
    assert "%2C" in out and "%3A" in out and "%25" in out


def test_a_multiline_message_stays_one_command(cwd: Path) -> None:
    where = CodeRange(CodePosition(1, 0), CodePosition(1, 1))
    violation = Violation(cwd / "a.py", where, "ASL101", "one\ntwo")

    out = render(Report([violation], cwd=cwd), "github")

    assert out.count("\n") == 1
    assert _parse(out.rstrip("\n"))[1] == "ASL101 one\ntwo"


def test_file_errors_are_annotated(make_report: Callable[..., Report]) -> None:
    lines = render(make_report(violations=[]), "github").splitlines()

    parsed = {
        properties["file"]: (properties, message)
        for properties, message in map(_parse, lines)
    }
    broken, message = parsed["broken.py"]
    assert broken == {
        "file": "broken.py",
        "line": "2",
        "col": "5",
        "title": "syntax error",
    }
    assert message == "invalid syntax"
    binary, message = parsed["binary.py"]
    assert binary == {"file": "binary.py", "title": "error"}
    assert message == "cannot decode as UTF-8: invalid start byte"
