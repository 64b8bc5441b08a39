"""Suppression comments: which count, what they cover, when they are unused."""

from __future__ import annotations

import pickle
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asynclint import rules
from asynclint.rules.base import Rule
from asynclint.rules.unused_suppression import UnusedSuppression
from asynclint.suppression import (
    DirectiveKind,
    Suppressions,
    apply,
    parse_suppressions,
    unused,
)
from asynclint.types import CodePosition, CodeRange, Violation

PATH = Path("pkg/mod.py")


class AwaitRule(Rule):
    """A stand-in for a per-file rule."""

    code = "ASL101"
    slug = "await-not-awaitable"
    message = "m"


class CmRule(Rule):
    """Another stand-in, to tell codes apart."""

    code = "ASL201"
    slug = "async-cm-awaited"
    message = "m"


@pytest.fixture(autouse=True)
def known_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Judge suppressions against a fixed rule set, whatever the tree holds."""
    monkeypatch.setattr(
        rules, "all_rules", lambda: (UnusedSuppression, AwaitRule, CmRule)
    )


def every(code: str) -> bool:
    return True


def violation(line: int, code: str, end_line: int | None = None) -> Violation:
    where = CodeRange(CodePosition(line, 4), CodePosition(end_line or line, 9))
    return Violation(PATH, where, code, f"{code} at {line}")


def parse(source: str) -> Suppressions:
    return parse_suppressions(textwrap.dedent(source))


def kept_lines(source: str, found: list[Violation]) -> list[tuple[int, str]]:
    kept, _ = apply(found, parse(source))
    return [(v.line, v.code) for v in kept]


# Which comments count


def test_directives_inside_strings_are_not_suppressions() -> None:
    source = '''\
    a = "# noqa"
    b = '# asynclint: ignore'
    c = f"{a} # noqa: ASL101"
    d = """
    # noqa
    """
    '''

    assert parse(source).items == ()


def test_a_comment_after_a_string_with_a_hash_counts() -> None:
    (item,) = parse('x = "#"  # noqa: ASL101\n').items

    assert (item.line, item.code, item.kind) == (1, "ASL101", DirectiveKind.NOQA)
    assert item.text == "# noqa: ASL101"


def test_the_directive_range_is_where_it_is_written() -> None:
    source = "x = 1  # type: ignore  # asynclint: ignore[ASL101]\n"

    (item,) = parse_suppressions(source).items

    start = source.index("# asynclint")
    assert item.range.start == CodePosition(1, start)
    assert item.range.end == CodePosition(1, source.index("\n"))


def test_a_source_that_does_not_tokenize_has_no_suppressions() -> None:
    assert parse_suppressions('x = """never closed  # noqa\n').items == ()
    assert parse_suppressions("if x:\n        a\n    b  # noqa\n").items == ()


def test_suppressions_survive_pickling() -> None:
    found = parse("x = 1  # noqa: ASL101, ASL201\ny = 2  # asynclint: ignore\n")

    assert pickle.loads(pickle.dumps(found)) == found


# What they cover


def test_noqa_with_codes_covers_exactly_those_codes() -> None:
    source = "x = 1  # noqa: ASL101,ASL201 ASL301 because\n"
    found = [violation(1, "ASL101"), violation(1, "ASL201"), violation(1, "ASL401")]

    assert kept_lines(source, found) == [(1, "ASL401")]


def test_codes_match_case_insensitively_and_in_full() -> None:
    source = "x = 1  # NOQA: asl101, ASL2\n"
    found = [violation(1, "ASL101"), violation(1, "ASL201")]

    assert kept_lines(source, found) == [(1, "ASL201")]


@pytest.mark.parametrize(
    "comment", ["# noqa", "# noqa:", "# NoQA  reason", "#noqa", "# asynclint: ignore"]
)
def test_a_bare_directive_covers_every_code_on_its_line_only(comment: str) -> None:
    source = f"x = 1  {comment}\ny = 2\n"
    found = [violation(1, "ASL101"), violation(1, "ASL999"), violation(2, "ASL101")]

    assert kept_lines(source, found) == [(2, "ASL101")]


def test_noqa_must_be_a_word() -> None:
    assert parse("x = 1  # noqanda\ny = 2  # not noqa\n").items == ()


def test_asynclint_ignore_with_codes() -> None:
    source = "x = 1  # asynclint: ignore[ASL101, ASL201]\n"
    found = [violation(1, "ASL101"), violation(1, "ASL201"), violation(1, "ASL301")]

    assert kept_lines(source, found) == [(1, "ASL301")]


def test_a_multiline_statement_is_suppressed_on_its_first_line() -> None:
    first = "result = await fetch(  # noqa: ASL101\n    1,\n)\n"
    last = "result = await fetch(\n    1,\n)  # noqa: ASL101\n"
    found = [violation(1, "ASL101", end_line=3)]

    assert kept_lines(first, found) == []
    assert kept_lines(last, found) == [(1, "ASL101")]


def test_apply_reports_which_suppressions_were_used() -> None:
    found = parse("x = 1  # noqa: ASL101, ASL201\n")

    kept, used = apply([violation(1, "ASL101")], found)

    assert kept == []
    assert used == {item.id for item in found.items if item.code == "ASL101"}


# When they are unused


def report(
    source: str,
    found: list[Violation],
    selected: object = every,
    include_bare_noqa: bool = False,
) -> list[tuple[int, str]]:
    suppressions = parse(source)
    _, used = apply(found, suppressions)
    result = unused(
        suppressions,
        used,
        selected,  # type: ignore[arg-type]
        path=PATH,
        include_bare_noqa=include_bare_noqa,
    )
    assert all(v.code == UnusedSuppression.code and v.path == PATH for v in result)
    return [(v.line, v.message) for v in result]


def message(codes: str) -> str:
    return UnusedSuppression.message.format(codes=codes)


def test_an_unused_code_is_reported_and_a_used_one_is_not() -> None:
    source = "x = 1  # noqa: ASL101, ASL201\n"

    assert report(source, [violation(1, "ASL101")]) == [(1, message("ASL201"))]
    assert report(source, [violation(1, "ASL101"), violation(1, "ASL201")]) == []


def test_the_report_points_at_the_directive() -> None:
    source = "x = 1  # asynclint: ignore[ASL201]\n"
    suppressions = parse_suppressions(source)

    (found,) = unused(suppressions, frozenset(), every, path=PATH)

    assert found.range == suppressions.items[0].range
    assert found.column == source.index("#") + 1


def test_other_linters_codes_are_never_reported() -> None:
    assert report("x = 1  # noqa: E501, F401\n", []) == []
    assert report("x = 1  # asynclint: ignore[B008]\n", []) == []


def test_codes_of_rules_not_selected_are_not_reported() -> None:
    source = "x = 1  # noqa: ASL101, ASL201\n"

    assert report(source, [], selected=lambda code: code != "ASL201") == [
        (1, message("ASL101"))
    ]


def test_an_unknown_code_with_our_prefix_is_reported() -> None:
    assert report("x = 1  # noqa: ASL2\n", [violation(1, "ASL201")]) == [
        (1, message("ASL2 (not an asynclint code)"))
    ]


def test_bare_noqa_is_reported_only_when_asked() -> None:
    source = "x = 1  # noqa\n"

    assert report(source, []) == []
    assert report(source, [], include_bare_noqa=True) == [(1, message("every code"))]
    assert report(source, [violation(1, "ASL101")], include_bare_noqa=True) == []


def test_bare_asynclint_ignore_is_reported_when_every_rule_ran() -> None:
    source = "x = 1  # asynclint: ignore\n"

    assert report(source, []) == [(1, message("every code"))]
    assert report(source, [], selected=lambda code: code != "ASL101") == []
    assert report(source, [violation(1, "ASL999")]) == []


def test_listing_asl001_silences_the_report_on_that_line() -> None:
    assert report("x = 1  # noqa: ASL201, ASL001\n", []) == []
    assert report("x = 1  # noqa: ASL201  # asynclint: ignore[ASL001]\n", []) == []


def test_a_bare_noqa_that_silences_a_report_is_used() -> None:
    source = "x = 1  # noqa  # asynclint: ignore[ASL201]\n"

    assert report(source, [], include_bare_noqa=True) == []


def test_both_directives_covering_one_violation_are_used() -> None:
    source = "x = 1  # noqa: ASL101  # asynclint: ignore[ASL101]\n"

    assert report(source, [violation(1, "ASL101")]) == []


def test_reports_come_in_source_order() -> None:
    source = "a = 1  # asynclint: ignore\nb = 2  # noqa: ASL101\n"

    assert [line for line, _ in report(source, [])] == [1, 2]


def test_the_rule_is_discoverable_and_documented(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()

    assert rules.rule_for_code("ASL001") is UnusedSuppression
    assert UnusedSuppression.slug == "unused-suppression"
    assert UnusedSuppression.summary().endswith(".")
    assert "--warn-unused-ignores" in UnusedSuppression.explanation()


@pytest.mark.parametrize(
    "comment", ["# NOQA: ASL101", "# asynclint : ignore[ASL101]", "# Noqa:ASL101"]
)
def test_an_unused_directive_in_any_spelling_is_seen_in_a_clean_file(
    tmp_path: Path, comment: str, asynclint: Callable[..., Any]
) -> None:
    # The checker reads comments only in files whose text may hold a
    # directive; that pre-filter must accept every spelling the parser does.
    (tmp_path / "jobs.py").write_text(
        f"import asyncio\n\n\nasync def job():\n    await asyncio.sleep(1)  {comment}\n"
    )
    found = asynclint(tmp_path, "--warn-unused-ignores").findings
    assert found == {("jobs.py", 5, "ASL001"): 1}
