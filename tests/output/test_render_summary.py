"""The stderr texts: summary sentence, statistics and the applied fixes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from asynclint.output import (
    Report,
    applied_fixes,
    migration_summary,
    statistics,
    summary,
)
from asynclint.types import (
    Applicability,
    CodePosition,
    CodeRange,
    ConfigEdit,
    Fix,
    Violation,
)

pytestmark = pytest.mark.usefixtures("fake_rules")


def _fixable(report: Report) -> tuple[int, int]:
    fixes = [v.fix for v in report.violations if v.fix is not None]
    safe = sum(fix.applicability is Applicability.SAFE for fix in fixes)
    return safe, len(fixes) - safe


def test_clean_run_passes(cwd: Path) -> None:
    assert summary(Report(cwd=cwd)) == "All checks passed."


def test_counts_violations_and_what_fix_would_do(
    make_report: Callable[..., Report],
) -> None:
    report = make_report(errors=[])
    safe, unsafe = _fixable(report)
    assert safe and unsafe

    text = summary(report)

    assert text == (
        f"Found {len(report.violations)} violations "
        f"({safe} fixable with --fix, {unsafe} with --unsafe-fixes)."
    )


def test_unsafe_fixes_count_as_fixable_once_enabled(
    make_report: Callable[..., Report],
) -> None:
    report = make_report(errors=[], unsafe_fixes=True)
    safe, unsafe = _fixable(report)

    assert f"({safe + unsafe} fixable with --fix)" in summary(report)


def test_only_unsafe_fixes_name_both_options(
    make_report: Callable[..., Report], blocking: Violation
) -> None:
    report = make_report(violations=[blocking], errors=[])

    assert summary(report) == (
        "Found 1 violation (1 fixable with --fix --unsafe-fixes)."
    )


def test_fixed_and_remaining(
    make_report: Callable[..., Report], awaited: Violation, foreign: Violation
) -> None:
    report = make_report(violations=[foreign], errors=[], fixed_count=2)

    assert summary(report) == "Found 3 violations (2 fixed, 1 remaining)."


def test_all_fixed(make_report: Callable[..., Report]) -> None:
    report = make_report(violations=[], errors=[], fixed_count=1)

    assert summary(report) == "Found 1 violation (1 fixed, 0 remaining)."


def test_a_preview_says_what_fix_would_do(
    make_report: Callable[..., Report], awaited: Violation, foreign: Violation
) -> None:
    report = make_report(violations=[foreign], errors=[], fixed_count=1, preview=True)

    assert summary(report) == "Found 2 violations (1 would be fixed, 1 would remain)."
    shown = make_report(
        violations=[], errors=[], fixed=[awaited], preview=True, show_fixes=True
    )
    assert applied_fixes(shown).startswith("Would fix 1 violation:\n")


def test_unchecked_files_are_counted(
    make_report: Callable[..., Report], errors: list[object]
) -> None:
    assert summary(make_report(violations=[])) == (
        f"No violations found. {len(errors)} files could not be checked."
    )
    assert summary(make_report(violations=[], errors=errors[:1])).endswith(
        " 1 file could not be checked."
    )


def test_missing_paths_are_no_success(cwd: Path) -> None:
    report = Report(cwd=cwd, missing=[cwd / "nothere.py"])
    assert summary(report) == "No violations found. 1 path not found."
    two = Report(cwd=cwd, missing=[cwd / "a.py", cwd / "b"])
    assert summary(two).endswith(" 2 paths not found.")


def test_statistics_count_per_code_most_frequent_first(
    make_report: Callable[..., Report],
) -> None:
    report = make_report()

    rows = [line.split() for line in statistics(report).splitlines()]

    expected = {
        code: sum(v.code == code for v in report.violations)
        for code in {v.code for v in report.violations}
    }
    assert {row[1]: int(row[0]) for row in rows} == expected
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)


def test_statistics_mark_fixability_and_name_the_slug(
    make_report: Callable[..., Report],
    awaited: Violation,
    blocking: Violation,
    foreign: Violation,
) -> None:
    report = make_report(violations=[awaited, blocking, foreign])

    lines = statistics(report).splitlines()

    assert lines == [
        "1  ASL101  [*] await-not-awaitable",
        "1  ASL301  [-] blocking-call-in-async",
        "1  ASL999  [ ]",
    ]


def test_statistics_mark_a_code_only_when_each_violation_is_fixable(
    make_report: Callable[..., Report],
    awaited: Violation,
    blocking: Violation,
) -> None:
    """ruff's convention: one violation without a fix unmarks its code, and
    one that needs --unsafe-fixes turns `*` into `-`."""
    assert blocking.fix is not None
    no_fix = replace(awaited, range=_at(9), fix=None)
    safe = replace(
        blocking,
        range=_at(20),
        fix=replace(blocking.fix, applicability=Applicability.SAFE),
    )
    unsafe_no_fix = replace(blocking, range=_at(30), fix=None)

    def lines(*violations: Violation, unsafe: bool = False) -> list[str]:
        report = make_report(violations=list(violations), unsafe_fixes=unsafe)
        return statistics(report).splitlines()

    assert lines(awaited, no_fix) == ["2  ASL101  [ ] await-not-awaitable"]
    assert lines(safe, blocking) == ["2  ASL301  [-] blocking-call-in-async"]
    assert lines(safe, blocking, unsafe=True) == [
        "2  ASL301  [*] blocking-call-in-async"
    ]
    assert lines(safe, blocking, unsafe_no_fix, unsafe=True) == [
        "3  ASL301  [ ] blocking-call-in-async"
    ]


def _at(line: int) -> CodeRange:
    return CodeRange(CodePosition(line, 4), CodePosition(line, 9))


def test_statistics_of_nothing_is_empty(cwd: Path) -> None:
    assert statistics(Report(cwd=cwd)) == ""


def test_show_fixes_lists_fixed_violations_per_file(
    make_report: Callable[..., Report],
    awaited: Violation,
    blocking: Violation,
    odd_name: Violation,
) -> None:
    fixed = [awaited, blocking, odd_name]
    report = make_report(
        violations=[], errors=[], fixed=fixed, fixed_count=3, show_fixes=True
    )

    text = summary(report)

    assert text == (
        "Fixed 3 violations:\n"
        "  src/ünïcode/app.py\n"
        "    1 x ASL101 await-not-awaitable\n"
        "    1 x ASL301 blocking-call-in-async\n"
        "  weird, 100%: name.py\n"
        "    1 x ASL101 await-not-awaitable\n"
        "Found 3 violations (3 fixed, 0 remaining)."
    )
    assert applied_fixes(report) in text


def test_fixes_are_not_listed_unless_asked(
    make_report: Callable[..., Report], awaited: Violation
) -> None:
    report = make_report(violations=[], errors=[], fixed=[awaited], fixed_count=1)

    assert "Fixed" not in summary(report)


def test_show_fixes_lists_a_config_edit_under_the_config(cwd: Path) -> None:
    config = cwd / "pyproject.toml"
    edit = ConfigEdit(config, "add-markers", ("nightly",))
    fix = Fix(Applicability.SAFE, "Register marker `nightly`", edit)
    test = cwd / "tests" / "test_a.py"
    where = CodeRange(CodePosition(4, 1), CodePosition(4, 20))
    registered = Violation(test, where, "ASL401", "not registered", fix)
    report = Report(cwd=cwd, fixed=[registered], fixed_count=1, show_fixes=True)

    assert applied_fixes(report) == (
        "Fixed 1 violation:\n  pyproject.toml\n    1 x ASL401 marker-not-registered\n"
    )


def test_migration_summary_counts_sites_and_files() -> None:
    assert migration_summary(1, 1, 0, written=False) == (
        "1 site to change in 1 file; 0 left to do by hand."
    )
    assert migration_summary(3, 2, 1, written=True) == (
        "3 sites changed in 2 files; 1 left to do by hand."
    )
