"""The text format: exact lines that a line-oriented parser can read."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from asynclint.output import FORMATS, Report, render
from asynclint.types import CodePosition, CodeRange, FileError, Violation

PARSER = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+)\b")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.usefixtures("fake_rules")


def test_violation_lines_are_exactly_path_line_col_code_message(
    make_report: Callable[..., Report], cwd: Path, outside: Path
) -> None:
    report = make_report(errors=[])

    lines = render(report, "text").splitlines()

    assert len(lines) == len(report.violations)
    for line, violation in zip(lines, report.violations, strict=True):
        if violation.path == outside:
            shown = outside.as_posix()
        else:
            shown = violation.path.relative_to(cwd).as_posix()
        place = f"{shown}:{violation.line}:{violation.column}"
        assert line == f"{place}: {violation.code} {violation.message}"


def test_every_violation_line_matches_the_consumers_pattern(
    make_report: Callable[..., Report],
) -> None:
    report = make_report()

    lines = render(report, "text").splitlines()

    parsed = [match for line in lines if (match := PARSER.match(line))]
    assert [(m["line"], m["col"], m["code"]) for m in parsed] == [
        (str(v.line), str(v.column), v.code) for v in report.violations
    ]
    assert not any("[*]" in line for line in lines)


def test_file_errors_show_their_label_and_place(
    cwd: Path, errors: list[FileError]
) -> None:
    report = Report(errors=errors, cwd=cwd)

    lines = render(report, "text").splitlines()

    assert lines == [
        "binary.py: error: cannot decode as UTF-8: invalid start byte",
        "broken.py:2:5: syntax error: invalid syntax",
    ]


def test_a_file_error_with_a_line_and_no_column_shows_column_one(cwd: Path) -> None:
    error = FileError(cwd / "a.py", "syntax error: unexpected indent", 4)

    assert render(Report(errors=[error], cwd=cwd), "text") == (
        "a.py:4:1: syntax error: unexpected indent\n"
    )


def test_errors_are_merged_in_path_order(make_report: Callable[..., Report]) -> None:
    lines = render(make_report(), "text").splitlines()

    paths = [line.split(":")[0] for line in lines]
    assert paths.index("binary.py") < paths.index("broken.py")
    assert paths.index("broken.py") < paths.index("src/ünïcode/app.py")


def test_colour_only_when_asked(make_report: Callable[..., Report]) -> None:
    plain = render(make_report(), "text")
    coloured = render(make_report(color=True), "text")

    assert "\x1b" not in plain
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain


def test_a_newline_in_a_message_stays_on_one_line(cwd: Path) -> None:
    where = CodeRange(CodePosition(1, 0), CodePosition(1, 1))
    violation = Violation(cwd / "a.py", where, "ASL101", "first\nsecond\r")

    out = render(Report([violation], cwd=cwd), "text")

    assert out == "a.py:1:1: ASL101 first\\nsecond\\r\n"


def test_a_relative_path_is_shown_as_given(cwd: Path) -> None:
    where = CodeRange(CodePosition(2, 3), CodePosition(2, 4))
    violation = Violation(Path("pkg") / "mod.py", where, "ASL101", "m")

    assert render(Report([violation], cwd=cwd), "text") == "pkg/mod.py:2:4: ASL101 m\n"


def test_nothing_to_show_is_empty(cwd: Path) -> None:
    assert render(Report(cwd=cwd), "text") == ""


def test_unknown_format_names_the_choices(cwd: Path) -> None:
    with pytest.raises(ValueError, match="sarif") as caught:
        render(Report(cwd=cwd), "xml")

    assert "'xml'" in str(caught.value)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_an_empty_and_a_full_report(
    fmt: str, make_report: Callable[..., Report], cwd: Path
) -> None:
    full = render(make_report(), fmt)
    empty = render(Report(cwd=cwd), fmt)

    assert full.endswith("\n")
    assert full != empty


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_undecodable_file_name_can_still_be_written(fmt: str, cwd: Path) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    where = CodeRange(CodePosition(1, 0), CodePosition(1, 1))
    report = Report([Violation(cwd / name, where, "ASL101", "m")], cwd=cwd)

    out = render(report, fmt)

    out.encode("utf-8")
    if fmt == "text":
        assert out == "caf\\xe9.py:1:1: ASL101 m\n"
