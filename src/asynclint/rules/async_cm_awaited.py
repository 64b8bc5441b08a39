"""ASL201: `await` on an async context manager factory."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.blockwrap import wrap_fix
from asynclint.context import FileContext
from asynclint.protocols import callee_name, makes_async_cm
from asynclint.rules.base import Rule
from asynclint.types import Violation


class AsyncCmAwaited(Rule):
    """`await` on what an async context manager factory returns.

    An `@asynccontextmanager` function, or a class with `__aenter__` and no
    `__await__`, returns an object to enter with `async with`; awaiting it
    raises `TypeError: object _AsyncGeneratorContextManager can't be used in
    'await' expression`.

    Fix (safe, when the value does not outlive its block): `x = await
    factory(...)` followed by uses of `x` becomes `async with factory(...)
    as x:` around the rest of the block. A value stored on `self`, returned,
    yielded or captured by a closure needs an `AsyncExitStack` owned by the
    object instead; that is reported without a fix.
    """

    code = "ASL201"
    slug = "async-cm-awaited"
    message = (
        "`{callee}()` returns an async context manager; "
        "enter it with `async with` instead of awaiting it"
    )
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.awaits:
            inner = site.node.value
            if not isinstance(inner, ast.Call):
                continue
            value = context.value(inner, site.function)
            callee = context.value(inner.func, site.function)
            if not makes_async_cm(context.inference, callee, value):
                continue
            fix = None
            target = site.target
            if isinstance(target, ast.Name):
                fix = wrap_fix(context, site.statement, target.id, site.function)
            name = callee_name(callee) or ast.unparse(inner.func)
            yield self.violation(
                context.path, context.range(site.node), fix, callee=name
            )
