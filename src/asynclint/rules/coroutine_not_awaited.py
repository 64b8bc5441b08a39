"""ASL102: a coroutine that is created and never awaited."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.sites import (
    ASSIGNED,
    ASYNC_ITERATED,
    ASYNC_WITH_ITEM,
    ATTRIBUTE,
    CALLEE,
    DROPPED,
    ITERATED,
    TRANSFERS,
    TRUTH,
    VALUE,
    WITH_ITEM,
)
from asynclint.types import AddAwait, Applicability, Fix, Violation
from asynclint.values import Coroutine

_HOW = {
    DROPPED: "its result is dropped, so it never runs",
    TRUTH: "it is tested for truth, which is always true",
    ATTRIBUTE: "an attribute of the coroutine object is used",
    VALUE: "the coroutine object is used as a plain value",
    ITERATED: "the coroutine object is iterated",
    ASYNC_ITERATED: "the coroutine object is iterated",
    WITH_ITEM: "the coroutine object is entered as a context manager",
    ASYNC_WITH_ITEM: "the coroutine object is entered as a context manager",
}
_JUDGED = frozenset(_HOW) | {ASSIGNED}


class CoroutineNotAwaited(Rule):
    """A coroutine function is called and its coroutine is never awaited.

    The call creates a coroutine object and nothing runs: the result is
    dropped, tested for truth (always true, a security hole in permission
    checks), or assigned and then used as if it were the result. Passing
    the coroutine on (to `asyncio.gather`, `create_task`, `asyncio.run`, or
    any other callee), returning, yielding or storing it hands it to someone
    else and is not reported.

    Fix (inside `async def`): add `await`. The original statement can never
    have worked as written, so the fix is classed safe.
    """

    code = "ASL102"
    slug = "coroutine-not-awaited"
    message = "coroutine from `{callee}()` is never awaited: {how}"
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.calls:
            if site.use not in _JUDGED:
                continue
            value = context.value(site.node, site.function)
            if not isinstance(value, Coroutine):
                continue
            how = _HOW.get(site.use)
            if site.use == ASSIGNED:
                how = self._assigned_misuse(context, site.function, site.target)
            if how is None:
                continue
            fix = None
            if site.function is not None and site.function.is_async:
                fix = Fix(
                    Applicability.SAFE,
                    "Add `await`",
                    AddAwait(context.range(site.node)),
                )
            callee = value.origin if "." in value.origin else ast.unparse(site.node.func)
            yield self.violation(
                context.path, context.range(site.node), fix, callee=callee, how=how
            )

    @staticmethod
    def _assigned_misuse(context, function, name):  # type: ignore[no-untyped-def]
        if name is None:
            return None
        uses = context.sites.name_uses(function, name)
        kinds = {use.use for use in uses}
        if kinds & TRANSFERS or CALLEE in kinds or ASYNC_WITH_ITEM in kinds:
            return None
        if not uses:
            if function is None:
                return None  # a module global may be used by other modules
            return f"`{name}` is assigned and never awaited"
        first = min(uses, key=lambda u: u.node.lineno)
        return f"`{name}` is used on line {first.node.lineno} without being awaited"
