"""ASL202: an async context manager used as the resource it manages."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.binding_uses import uses_of_binding
from asynclint.blockwrap import wrap_fix
from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.sites import (
    ASSIGNED,
    ASYNC_ITERATED,
    ASYNC_WITH_ITEM,
    ATTRIBUTE,
    ITERATED,
    STORED,
    TRANSFERS,
    VALUE,
    CallSite,
    NameUse,
)
from asynclint.types import Violation
from asynclint.values import ContextManager

# What `@asynccontextmanager`'s object has besides its special methods
# (contextlib's _GeneratorContextManagerBase, CPython 3.10 to 3.13).
_MANAGER_ATTRIBUTES = frozenset({"gen", "func", "args", "kwds", "_recreate_cm"})
_MISUSES = frozenset({ATTRIBUTE, ITERATED, ASYNC_ITERATED})
# How a call's result is used where ASL202 looks at it (VALUE: subscripted).
_JUDGED = _MISUSES | {ASSIGNED, VALUE}


class AsyncCmUsedAsValue(Rule):
    """An async context manager stored or used as the resource itself.

    `client = get_clickhouse_client()` where the factory is an
    `@asynccontextmanager`, then `client.execute(...)`, fails with
    `'_AsyncGeneratorContextManager' object has no attribute 'execute'`;
    `client["key"]` and `async for row in factory()` fail the same way,
    and so does a use through either name of `a = b = factory()`.
    Creating the manager first and entering it later (`cm = factory();
    async with cm:`, or `AsyncExitStack.enter_async_context(factory())`)
    is correct and is not reported, nor is entering by hand
    (`cm.__aenter__()`) or reading the manager's own attributes
    (`cm.gen`). A name is judged by its uses up to the first that enters
    the manager or hands it on (returns, yields, stores or passes it): a
    use as the resource before that fails all the same, while what comes
    after may be the new owner's business. A name bound again is judged
    only up to the new binding.

    Fix (safe, when the value does not outlive its block and is never
    handed on): `x = factory(...)` becomes `async with factory(...) as x:`
    around the rest of the block.
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
                found = found or self._chained(context, site)
                if found is not None:
                    yield found
                continue
            if site.use not in _JUDGED:
                continue
            value = context.value(site.node, site.function)
            if not (isinstance(value, ContextManager) and value.is_async):
                continue
            if site.use == ASSIGNED and site.target is not None:
                found = self._assigned(context, site, value.origin)
                if found is not None:
                    yield found
            elif _misused_in_place(context, site):
                yield self.violation(
                    context.path,
                    context.range(site.node),
                    None,
                    name=f"{ast.unparse(site.node.func)}()",
                    callee=value.origin,
                    how="enter it with `async with` first",
                )

    def _assigned(
        self, context: FileContext, site: CallSite, callee: str
    ) -> Violation | None:
        """`x = factory()` with `x` used as the resource before it is
        entered or handed on."""
        assert site.target is not None
        misuse = _first_misuse(context, site, [site.target])
        if misuse is None:
            return None
        # Once handed on, the manager was meant to outlive the block (an
        # `AsyncExitStack` owned elsewhere); the rewrite is left to the user.
        uses = context.sites.name_uses(site.function, site.target)
        fix = None
        if site.own_frame and not any(use.use in TRANSFERS for use in uses):
            fix = wrap_fix(context, site.statement, site.target, site.function)
        return self.violation(
            context.path,
            context.range(site.node),
            fix,
            name=site.target,
            callee=callee,
            how=f"it is used as the resource on line {misuse.node.lineno}",
        )

    def _chained(self, context: FileContext, site: CallSite) -> Violation | None:
        """`a = b = factory()` with either name used as the resource (no fix:
        one `as` target cannot bind both names)."""
        statement = site.statement
        if statement is None or not isinstance(statement.node, ast.Assign):
            return None
        node = statement.node
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if node.value is not site.node or len(names) != len(node.targets):
            return None
        value = context.value(site.node, site.function)
        if not (isinstance(value, ContextManager) and value.is_async):
            return None
        misuse = _first_misuse(context, site, names)
        if misuse is None:
            return None
        return self.violation(
            context.path,
            context.range(site.node),
            None,
            name=misuse.node.id,
            callee=value.origin,
            how=f"it is used as the resource on line {misuse.node.lineno}",
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
                and not _is_manager_attribute(node.attr)
            ):
                return node
    return None


def _misused_in_place(context: FileContext, site: CallSite) -> bool:
    """`factory().execute(...)`, `factory()[key]`, `async for x in factory()`:
    the manager is used as the resource where it is made."""
    role = _roles(context).get(id(site.node))
    if site.use == VALUE:
        return role == "[]"
    return not _is_manager_attribute(role)


def _first_misuse(
    context: FileContext, site: CallSite, names: list[str]
) -> NameUse | None:
    """The first use of the names bound at `site` as the resource, when it
    comes before any use that enters the manager or hands it on."""
    if site.statement is None:
        return None
    uses = uses_of_binding(context, site.function, site.statement, names)
    roles = _roles(context)
    for use in uses or ():
        if use.use in TRANSFERS or use.use == ASYNC_WITH_ITEM:
            return None
        role = roles.get(id(use.node))
        if use.use in _MISUSES and not _is_manager_attribute(role):
            return use
        if use.use == VALUE and role == "[]":
            return use
    return None


def _is_manager_attribute(name: str | None) -> bool:
    """Whether the manager object itself has the attribute: a special one
    (`__aenter__`, entering by hand) or one of its own (`gen`)."""
    if name is None:
        return False
    special = name.startswith("__") and name.endswith("__")
    return special or name in _MANAGER_ATTRIBUTES


def _roles(context: FileContext) -> dict[int, str]:
    """For each expression whose attribute is read, the attribute's name;
    "[]" for one that is subscripted (walked once per file, and only for a
    file that needs it)."""
    kept = context.rule_memo.get("asl202_roles")
    if isinstance(kept, dict):
        return kept
    roles: dict[int, str] = {}
    for node in ast.walk(context.module.tree):
        if isinstance(node, ast.Attribute):
            roles[id(node.value)] = node.attr
        elif isinstance(node, ast.Subscript):
            roles[id(node.value)] = "[]"
    context.rule_memo["asl202_roles"] = roles
    return roles
