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
from asynclint.values import (
    AsyncGenerator,
    ClassRef,
    ContextManager,
    FunctionRef,
    LibraryClass,
    LibraryFunction,
    ModuleRef,
    NoReturn,
    Plain,
    Value,
)

_STREAM_WRITER_CLOSE = "asyncio.StreamWriter.close"
# What inference calls a sync generator object (a generator function's
# result, a generator expression).
_GENERATORS = frozenset({"a generator", "generator"})
_UNCALLED = (FunctionRef, ClassRef, LibraryFunction, LibraryClass, ModuleRef)


class AwaitNotAwaitable(Rule):
    """`await` on a value that is not awaitable.

    Awaiting the result of a plain `def` (a `-> bool` check such as
    `await is_ready()`, a sync method, an async generator function, a
    builtin or standard-library function such as `len()` or `json.dumps()`)
    raises `TypeError: object ... can't be used in 'await' expression` at
    runtime. The callee is resolved to its real definition, across
    modules; a sync function that returns a coroutine, Task or Future (by
    annotation or by what it returns) is awaitable and is not reported,
    and neither is a callee that always raises. A method read from an
    object that may belong to a subclass (`self`, an annotated parameter,
    an annotated result) is not reported when a project subclass redefines
    it as `async def`; on an object made by calling its class, it is.

    Fix (safe): remove the `await`. For `await writer.close()` on an
    `asyncio.StreamWriter`, the fix keeps the wait: `writer.close()` then
    `await writer.wait_closed()`, where the `await` is a statement of its
    own (elsewhere, no fix). No fix where the bare value would still
    have to be consumed to give what the code wanted: an async generator
    or generator (`db = await get_db()` on a FastAPI `yield` dependency),
    a `@contextmanager` result, a function, class or module awaited without
    being called, or an `await` inside a generator expression.
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
            fix: Fix | None = None
            if _removal_keeps_meaning(inner, value) and site.own_frame:
                fix = Fix(Applicability.SAFE, "Remove `await`", RemoveAwait(where))
            if (
                isinstance(callee, LibraryFunction)
                and callee.spec.qualname == _STREAM_WRITER_CLOSE
            ):
                # The wait is kept only where the `await` is a statement of
                # its own; elsewhere (`return await writer.close()`) plain
                # removal would drop it, so no fix.
                fix = None
                statement = site.statement.node if site.statement else None
                if isinstance(statement, ast.Expr) and statement.value is site.node:
                    fix = Fix(
                        Applicability.SAFE,
                        "Call `close()` without `await`, then `await wait_closed()`",
                        CloseThenWaitClosed(context.range(statement)),
                    )
            yield self.violation(context.path, where, fix, subject=subject)


def _removal_keeps_meaning(inner: ast.expr, value: Value) -> bool:
    """Whether the awaited expression, without `await`, is what the code
    meant to get.

    It is for the result of a sync call. It is not for an object that still
    has to be consumed to give that result: an async generator or a
    generator (iterated, or entered the way FastAPI enters a `yield`
    dependency) or a context manager (entered); nor for a function, class or
    module that is not called (`await fetch` most likely lacks its `()`).
    Which rewrite is right depends on what the code meant, so none is
    offered.
    """
    if isinstance(value, (AsyncGenerator, ContextManager)):
        return False
    if isinstance(value, Plain) and value.what in _GENERATORS:
        return False
    return not (isinstance(value, _UNCALLED) and not isinstance(inner, ast.Call))
