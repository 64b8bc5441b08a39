"""Whether a call in a function may be offloaded with `asyncio.to_thread`.

The ASL301 fix writes `await asyncio.to_thread(...)`. That is right only
when the function runs on an asyncio event loop (under another loop the
call fails with "no running event loop"), and when `asyncio` where the call
stands is the asyncio module, or unbound, so that the import the fix adds
is what the name means there.
"""

from __future__ import annotations

from asynclint.context import FileContext
from asynclint.summary import Binding, FunctionInfo
from asynclint.values import ModuleRef

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


def can_use_asyncio_to_thread(context: FileContext, function: FunctionInfo) -> bool:
    """Whether a call in `function` may become `asyncio.to_thread(...)`."""
    if _imports_another_loop(context):
        return False

    found = context.inference.lookup("asyncio", function)
    if found is None:
        return True  # the fix's `import asyncio` binds it
    bindings, scope = found
    return all(
        binding.kind == "import"
        and context.inference.binding_value(binding, scope) == _ASYNCIO
        for binding in bindings
    )


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
