"""ASL202: an async context manager used as the resource it manages."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.blockwrap import wrap_fix
from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.sites import (
    ARGUMENT,
    ASSIGNED,
    ASYNC_ITERATED,
    ASYNC_WITH_ITEM,
    ATTRIBUTE,
    ITERATED,
    STORED,
    TRANSFERS,
    CallSite,
)
from asynclint.types import Violation
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
    message = (
        "`{name}` holds the async context manager from `{callee}()`, "
        "not the resource; {how}"
    )
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.calls:
            if site.use == STORED:
                found = self._stored_on_self(context, site)
                if found is not None:
                    yield found
                continue
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
                if use.use in _MISUSES and not _is_protocol_access(use.node, context)
            ]
            if not misuse:
                continue
            fix = None
            if site.own_frame:
                fix = wrap_fix(context, site.statement, site.target, site.function)
            line = misuse[0].node.lineno
            yield self.violation(
                context.path,
                context.range(site.node),
                fix,
                name=site.target,
                callee=callee,
                how=f"it is used as the resource on line {line}",
            )

    def _stored_on_self(self, context: FileContext, site: CallSite) -> Violation | None:
        """`self.client = factory()` with `self.client.execute(...)` elsewhere."""
        found = _self_attribute(site)
        if found is None:
            return None
        owner = site.function.owner if site.function else None
        value = context.value(site.node, site.function)
        if owner is None or not (isinstance(value, ContextManager) and value.is_async):
            return None
        use = _uses_as_resource(owner.node, found[1])
        if use is None:
            return None
        return self.violation(
            context.path,
            context.range(site.node),
            None,
            name=f"{found[0]}.{found[1]}",
            callee=value.origin,
            how=f"it is used as the resource on line {use.lineno}; enter it with an "
            "`AsyncExitStack` owned by the object",
        )


def _self_attribute(site: CallSite) -> tuple[str, str] | None:
    """For `self.x = call(...)` in a method: the `self` name and "x"."""
    statement = site.statement
    function = site.function
    if statement is None or function is None or function.owner is None:
        return None
    node = statement.node
    if not (
        isinstance(node, ast.Assign)
        and node.value is site.node
        and len(node.targets) == 1
    ):
        return None
    target = node.targets[0]
    params = function.parameters
    if (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and params
        and target.value.id == params[0].arg
    ):
        return target.value.id, target.attr
    return None


def _uses_as_resource(klass: ast.ClassDef, attr: str) -> ast.Attribute | None:
    """The first `<first param>.<attr>.<something>` read in the class's methods
    (entering it, `async with self.<attr>:`, is not such a use)."""
    for method in klass.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        args = method.args.posonlyargs + method.args.args
        if not args:
            continue
        owner = args[0].arg
        for node in ast.walk(method):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == owner
                and node.value.attr == attr
                and node.attr not in _PROTOCOL_ATTRIBUTES
            ):
                return node
    return None


def _is_protocol_access(node: ast.Name, context: FileContext) -> bool:
    """`cm.__aenter__()` is entering by hand, not a misuse."""
    for use_parent in ast.walk(context.module.tree):
        if isinstance(use_parent, ast.Attribute) and use_parent.value is node:
            return use_parent.attr in _PROTOCOL_ATTRIBUTES
    return False
