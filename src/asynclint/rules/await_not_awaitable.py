"""ASL101: `await` on something that is not awaitable."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.protocols import callee_name, describe, is_awaitable, makes_async_cm
from asynclint.rules.base import Rule
from asynclint.types import (
    Applicability,
    CloseThenWaitClosed,
    Fix,
    RemoveAwait,
    Violation,
)
from asynclint.values import LibraryFunction, NoReturn

_STREAM_WRITER_CLOSE = "asyncio.StreamWriter.close"


class AwaitNotAwaitable(Rule):
    """`await` on a value that is not awaitable.

    Awaiting the result of a plain `def` (or a sync method, or an async
    generator function) raises `TypeError: object ... can't be used in
    'await' expression` at runtime. The callee is resolved to its real
    definition, across modules; a sync function that returns a coroutine,
    Task or Future (by annotation or by what it returns) is awaitable and is
    not reported, and neither is a callee that always raises.

    Fix (safe): remove the `await`. For `await writer.close()` on an
    `asyncio.StreamWriter`, the fix keeps the wait: `writer.close()` then
    `await writer.wait_closed()`.
    """

    code = "ASL101"
    slug = "await-not-awaitable"
    message = "`await` on {subject}, which is not awaitable"
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.awaits:
            inner = site.node.value
            value = context.value(inner, site.function)
            if isinstance(value, NoReturn):
                continue
            if is_awaitable(context.inference, value) is not False:
                continue
            callee = None
            if isinstance(inner, ast.Call):
                callee = context.value(inner.func, site.function)
            if makes_async_cm(context.inference, callee, value):
                continue  # ASL201 reports this one
            subject = describe(value)
            if callee is not None:
                name = callee_name(callee)
                if name is not None:
                    subject = f"the result of `{name}()` ({describe(value)})"
            where = context.range(site.node)
            fix = Fix(Applicability.SAFE, "Remove `await`", RemoveAwait(where))
            if (
                isinstance(callee, LibraryFunction)
                and callee.spec.qualname == _STREAM_WRITER_CLOSE
                and site.statement is not None
                and isinstance(site.statement.node, ast.Expr)
            ):
                fix = Fix(
                    Applicability.SAFE,
                    "Call `close()` without `await`, then `await wait_closed()`",
                    CloseThenWaitClosed(context.range(site.statement.node)),
                )
            yield self.violation(context.path, where, fix, subject=subject)
