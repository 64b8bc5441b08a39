"""The fixer enters only the statements that hold a fix's target: every
target is still reached, wherever it stands in them."""

from __future__ import annotations

from asynclint.fixer import apply_fixes, each_alone
from asynclint.types import (
    AddAwait,
    Applicability,
    CodePosition,
    CodeRange,
    Fix,
    RenameAttribute,
)

SOURCE = """\
import pytest


@pytest.mark.parametrise("n", [1])
def test_n(n):
    pass


class Outer:
    async def run(self):
        if self:
            for _ in range(2):
                fetch()
"""


def _span(line: int, start: int, end: int) -> CodeRange:
    return CodeRange(CodePosition(line, start), CodePosition(line, end))


RENAME = Fix(
    Applicability.SAFE, "rename", RenameAttribute(_span(4, 13, 24), "parametrize")
)
AWAIT = Fix(Applicability.SAFE, "await", AddAwait(_span(13, 16, 23)))


def test_a_target_in_a_decorator_is_reached() -> None:
    outcome = apply_fixes(SOURCE, [RENAME])

    assert outcome.applied == (RENAME,)
    assert '@pytest.mark.parametrize("n", [1])' in outcome.text


def test_a_target_deep_in_nested_blocks_is_reached() -> None:
    outcome = apply_fixes(SOURCE, [AWAIT])

    assert outcome.applied == (AWAIT,)
    assert "                await fetch()\n" in outcome.text


def test_each_alone_keeps_the_statements_it_does_not_change() -> None:
    parsed = each_alone(SOURCE, [RENAME, AWAIT])
    assert parsed is not None
    module, rewrites = parsed

    renamed, awaited = rewrites[RENAME], rewrites[AWAIT]

    assert renamed is not None and awaited is not None
    assert renamed.body[0] is module.body[0] and renamed.body[2] is module.body[2]
    assert renamed.body[1] is not module.body[1]
    assert all(a is b for a, b in zip(awaited.body[:2], module.body[:2]))
    assert awaited.body[2] is not module.body[2]
