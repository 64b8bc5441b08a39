"""ASL202: an async context manager used as the resource it manages."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.blockwrap import can_wrap
from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.sites import (
    ARGUMENT,
    ASSIGNED,
    ASYNC_ITERATED,
    ASYNC_WITH_ITEM,
    ATTRIBUTE,
    ITERATED,
    TRANSFERS,
)
from asynclint.types import Applicability, Fix, Violation, WrapInAsyncWith
from asynclint.values import ContextManager

_PROTOCOL_ATTRIBUTES = frozenset({"__aenter__", "__aexit__"})
_MISUSES = frozenset({ATTRIBUTE, ITERATED, ASYNC_ITERATED})


class AsyncCmUsedAsValue(Rule):
    """An async context manager stored or used as the resource itself.

    `client = get_clickhouse_client()` where the factory is an
    `@asynccontextmanager`, then `client.execute(...)`, fails with
    `'_AsyncGeneratorContextManager' object has no attribute 'execute'`;
    `async for row in factory()` fails the same way. Creating the manager
    first and entering it later (`cm = factory(); async with cm:`, or
    `AsyncExitStack.enter_async_context(factory())`) is correct and is not
    reported.

    Fix (safe, when the value does not outlive its block): `x = factory(...)`
    becomes `async with factory(...) as x:` around the rest of the block.
    """

    code = "ASL202"
    slug = "async-cm-used-as-value"
    message = "`{name}` holds the async context manager from `{callee}()`, not the resource; {how}"
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.calls:
            if site.use not in (ASSIGNED, ATTRIBUTE, ASYNC_ITERATED, ITERATED):
                continue
            value = context.value(site.node, site.function)
            if not (isinstance(value, ContextManager) and value.is_async):
                continue
            callee = value.origin
            if site.use != ASSIGNED or site.target is None:
                how = "enter it with `async with` first"
                yield self.violation(
                    context.path,
                    context.range(site.node),
                    None,
                    name=f"{ast.unparse(site.node.func)}()",
                    callee=callee,
                    how=how,
                )
                continue
            uses = context.sites.name_uses(site.function, site.target)
            kinds = {use.use for use in uses}
            if ASYNC_WITH_ITEM in kinds or ARGUMENT in kinds or kinds & TRANSFERS:
                continue
            misuse = [
                use
                for use in uses
                if use.use in _MISUSES
                and not _is_protocol_access(use.node, context)
            ]
            if not misuse:
                continue
            fix = None
            if can_wrap(context.sites, site.statement, site.target, site.function):
                assert site.statement is not None
                fix = Fix(
                    Applicability.SAFE,
                    f"Use `async with ... as {site.target}:` around the rest of the block",
                    WrapInAsyncWith(context.range(site.statement.node)),
                )
            line = misuse[0].node.lineno
            yield self.violation(
                context.path,
                context.range(site.node),
                fix,
                name=site.target,
                callee=callee,
                how=f"it is used as the resource on line {line}",
            )


def _is_protocol_access(node: ast.Name, context: FileContext) -> bool:
    """`cm.__aenter__()` is entering by hand, not a misuse."""
    for use_parent in ast.walk(context.module.tree):
        if isinstance(use_parent, ast.Attribute) and use_parent.value is node:
            return use_parent.attr in _PROTOCOL_ATTRIBUTES
    return False
