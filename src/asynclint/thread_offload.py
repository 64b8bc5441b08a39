"""Whether a call in a function may be offloaded with `asyncio.to_thread`
(or replaced by `asyncio.sleep`), and how the module names it there.

The ASL301 fix writes `await asyncio.to_thread(...)`, or `await
asyncio.sleep(...)` for `time.sleep`. That is right only when the function
runs on an asyncio event loop (under another loop the call fails with "no
running event loop"), and when the name it writes means the asyncio
function where the call stands: the module's own alias (`aio.to_thread`,
a bare `to_thread`) when it has one, else `asyncio`, which must then be
the asyncio module or unbound (the fix imports it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from asynclint.context import FileContext
from asynclint.summary import Binding, FunctionInfo
from asynclint.values import LibraryFunction, ModuleRef, Value

# Top-level packages whose import means the module may run on another loop
# than asyncio's: trio and curio run their own; code written for anyio or
# sniffio runs on whichever backend its caller chose, trio among them; and
# trio_asyncio runs asyncio code inside trio. The rule is conservative: one
# such import in any scope of the module withholds the fix from the whole
# module, even when it imports asyncio too, since the function at hand may
# be one that runs under trio. Imports are all it reads: a module that
# imports none of these but is run under trio by its callers (a helper
# module, a test that only pytest-trio's `@pytest.mark.trio` marks) is not
# recognised and still gets the fix.
_OTHER_LOOPS = frozenset({"anyio", "curio", "sniffio", "trio", "trio_asyncio"})
_ASYNCIO = ModuleRef("asyncio")
_ASYNCIO_PACKAGE = frozenset({"asyncio"})


@dataclass(frozen=True, slots=True)
class ToThreadName:
    """How the fix names `asyncio.to_thread` (or another function of
    asyncio), and the import it needs."""

    function: str
    needs_import: str | None


def to_thread_name(
    context: FileContext,
    function: FunctionInfo,
    call: ast.Call,
    member: str = "to_thread",
) -> ToThreadName | None:
    """How `call` in `function` can become `to_thread(...)` (or another
    `member` of asyncio), or None when no spelling of it is safe there."""
    if _imports_another_loop(context):
        return None

    qualname = f"asyncio.{member}"
    asyncio = _visible(context, "asyncio", function, call)
    if asyncio is None:
        return _module_alias(context, function, call, member) or ToThreadName(
            qualname, "asyncio"
        )
    values, scope = asyncio
    if any(value != _ASYNCIO for value in values):
        return None
    # A module-level import may stand where the fixer does not look for
    # one (under `if` or `try`); adding another is harmless.
    needs = "asyncio" if scope is None else None
    return ToThreadName(qualname, needs)


def _visible(
    context: FileContext, name: str, function: FunctionInfo, call: ast.Call
) -> tuple[list[Value | None], FunctionInfo | None] | None:
    """What each binding of `name` seen from `call` holds (None for one
    that is no import, or an import that only runs after the call), and
    the function holding them (None for the module); None when `name` is
    unbound there."""
    found = context.inference.lookup(name, function)
    if found is None:
        return None
    bindings, scope = found
    owner = scope if isinstance(scope, FunctionInfo) else None
    values: list[Value | None] = []
    for binding in bindings:
        line = getattr(binding.node, "lineno", 0)
        if binding.kind != "import" or (owner is function and line >= call.lineno):
            values.append(None)
        else:
            values.append(context.inference.binding_value(binding, scope))
    return values, owner


def _module_alias(
    context: FileContext, function: FunctionInfo, call: ast.Call, member: str
) -> ToThreadName | None:
    """`aio.to_thread` for `import asyncio as aio`, `to_thread` for `from
    asyncio import to_thread` (or `member` for `to_thread`): a name that
    means it at `call`, imported by a top-level statement (one under `if
    TYPE_CHECKING:` may never run)."""
    top_level = {id(statement) for statement in context.module.tree.body}
    for name in sorted(context.module.bindings):
        bindings = context.module.bindings[name]
        if not all(
            _imports_from(b, _ASYNCIO_PACKAGE) and id(b.node) in top_level
            for b in bindings
        ):
            continue
        seen = _visible(context, name, function, call)
        if seen is None or seen[1] is not None:
            continue
        values = seen[0]
        if all(value == _ASYNCIO for value in values):
            return ToThreadName(f"{name}.{member}", None)
        if all(
            isinstance(value, LibraryFunction)
            and value.spec.qualname == f"asyncio.{member}"
            for value in values
        ):
            return ToThreadName(name, None)
    return None


def _imports_another_loop(context: FileContext) -> bool:
    """Whether any scope of the module imports a package of `_OTHER_LOOPS`
    (computed once per file)."""
    cached = context.rule_memo.get("imports_another_loop")
    if isinstance(cached, bool):
        return cached

    module = context.module
    tables = [
        module.bindings,
        *(function.bindings for function in module.functions),
        *(klass.class_bindings for klass in module.classes),
    ]
    found = any(
        _imports_from(binding, _OTHER_LOOPS)
        for table in tables
        for bindings in table.values()
        for binding in bindings
    )
    context.rule_memo["imports_another_loop"] = found
    return found


def _imports_from(binding: Binding, packages: frozenset[str]) -> bool:
    return binding.kind == "import" and binding.module.split(".")[0] in packages
