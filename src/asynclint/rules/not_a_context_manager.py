"""ASL205: a generator function's result entered as a context manager."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.summary import FunctionInfo
from asynclint.types import Violation
from asynclint.values import (
    AsyncGenerator,
    FunctionRef,
    LibraryFunction,
    Plain,
    Value,
)

# What inference makes of a call of an undecorated generator function.
_GENERATOR = Plain("a generator")
# Calls that enter their first argument as a context manager.
_ENTERING_CALLS = frozenset(
    {
        "contextlib.ExitStack.enter_context",
        "contextlib.AsyncExitStack.enter_context",
        "contextlib.AsyncExitStack.enter_async_context",
    }
)
_DECORATORS = {
    "generator": ("a generator", "contextmanager"),
    "async-generator": ("an async generator", "asynccontextmanager"),
}


class NotAContextManager(Rule):
    """A generator function's result entered as a context manager.

    `with rows() as r:` where `rows` is a plain generator function (`def`
    with `yield`) fails with `TypeError: 'generator' object does not
    support the context manager protocol`, and `async with session()`
    over an async generator function (a FastAPI-style `async def
    get_db(): ... yield db` dependency) with `... does not support the
    asynchronous context manager protocol` (`AttributeError` before
    Python 3.11); so does handing such a result to
    `ExitStack.enter_context` or `AsyncExitStack.enter_async_context`. The
    generator is the body of a context manager whose decorator,
    `@contextmanager` or `@asynccontextmanager`, was most likely left out.

    Only a call that resolves to a project generator or async generator
    function is reported, and only when its decorators are all known to
    leave its result alone: a function declared a context manager factory
    in the configuration, a decorator asynclint does not know, a method
    called on `self` (a subclass may redefine it as a context manager
    factory) and any callee that does not resolve are not. A file with
    no `async` or `await` in it is not analysed, so a `with` on a
    generator in a sync-only module is missed.

    No fix: adding the decorator changes every other use of the function
    (a FastAPI dependency is also handed to `Depends`).
    """

    code = "ASL205"
    slug = "not-a-context-manager"
    message = (
        "`{callee}()` returns {what}, not a context manager; "
        "`@{decorator}` is probably missing on its `def`"
    )

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.withs:
            found = self._judge(context, site.item.context_expr, site.function)
            if found is not None:
                yield found
        for call in context.sites.calls:
            if not call.node.args or isinstance(call.node.args[0], ast.Starred):
                continue
            callee = context.value(call.node.func, call.function)
            if not (
                isinstance(callee, LibraryFunction)
                and callee.spec.qualname in _ENTERING_CALLS
            ):
                continue
            found = self._judge(context, call.node.args[0], call.function)
            if found is not None:
                yield found

    def _judge(
        self, context: FileContext, expr: ast.expr, function: FunctionInfo | None
    ) -> Violation | None:
        """A violation when `expr` calls a project generator function."""
        if not isinstance(expr, ast.Call):
            return None
        callee = context.value(expr.func, function)
        if not isinstance(callee, FunctionRef) or _on_self(context, expr, function):
            return None
        generator = callee.function
        if generator.kind not in _DECORATORS:
            return None
        if not _plain_result(context.value(expr, function), generator.kind):
            return None
        what, decorator = _DECORATORS[generator.kind]
        return self.violation(
            context.path,
            context.range(expr),
            None,
            callee=generator.qualname,
            what=what,
            decorator=decorator,
        )


def _plain_result(value: Value, kind: str) -> bool:
    """Whether a call's value is the bare generator object of its kind
    (neither a declaration nor a decorator made it something else)."""
    if kind == "generator":
        return value == _GENERATOR
    return isinstance(value, AsyncGenerator)


def _on_self(
    context: FileContext, call: ast.Call, function: FunctionInfo | None
) -> bool:
    """Whether the callee is looked up on the first parameter of a method
    (`self.rows()`), which may be an instance of a subclass."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if receiver is None:
        return False
    return context.inference.is_first_parameter(receiver, context.scope(function))
