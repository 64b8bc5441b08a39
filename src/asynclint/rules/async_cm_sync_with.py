"""ASL203: an async-only context manager entered with a plain `with`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.protocols import context_support, describe
from asynclint.rules.base import Rule
from asynclint.types import Applicability, Fix, MakeWithAsync, Violation
from asynclint.values import LibraryFunction

_ENTER_CONTEXT = frozenset({"contextlib.ExitStack.enter_context"})


class AsyncCmSyncWith(Rule):
    """An async-only context manager entered with `with` or `ExitStack.enter_context`.

    `with unit_of_work() as uow:` where `unit_of_work` is an
    `@asynccontextmanager` fails with `TypeError` (`AttributeError:
    __enter__` before Python 3.11). A class with both `__enter__` and
    `__aenter__` is not reported, nor one its module gives special methods
    from outside its statement (`Session.__enter__ = ...`).

    Fix (safe, inside `async def` when every item of the statement is
    async-only): `with` becomes `async with`. In a sync function the caller
    must become async first, so there is no fix.
    """

    code = "ASL203"
    slug = "async-cm-sync-with"
    message = "{subject} is an async context manager; it cannot be entered with {how}"
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        inference = context.inference
        for site in context.sites.withs:
            if not isinstance(site.node, ast.With):
                continue
            value = context.value(site.item.context_expr, site.function)
            if context_support(inference, value) != "async":
                continue
            fix = None
            in_async = (
                site.function is not None
                and site.function.is_async
                and site.own_frame
            )
            if in_async and context.every_item_supports(
                site.node, site.function, "async"
            ):
                fix = Fix(
                    Applicability.SAFE,
                    "Use `async with`",
                    MakeWithAsync(context.range(site.node)),
                )
            yield self.violation(
                context.path,
                context.range(site.item.context_expr),
                fix,
                subject=_subject(site.item.context_expr, value),
                how="`with`",
            )
        for call in context.sites.calls:
            if not call.node.args:
                continue
            callee = context.value(call.node.func, call.function)
            if not (
                isinstance(callee, LibraryFunction)
                and callee.spec.qualname in _ENTER_CONTEXT
            ):
                continue
            argument = call.node.args[0]
            value = context.value(argument, call.function)
            if context_support(inference, value) != "async":
                continue
            yield self.violation(
                context.path,
                context.range(argument),
                None,
                subject=_subject(argument, value),
                how="`ExitStack.enter_context` "
                "(use `AsyncExitStack.enter_async_context`)",
            )


def _subject(expr: ast.expr, value: object) -> str:
    text = ast.unparse(expr)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"`{text}`"


__all__ = ["AsyncCmSyncWith", "describe"]
