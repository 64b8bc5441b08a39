"""Classes given special methods from outside their class statement.

`Feed.__aiter__ = lambda self: self` after `class Feed:`, `setattr(Feed,
"__anext__", f)`, `del Feed.__iter__` or `cls.__enter__ = ...` in a
classmethod change which protocols the class supports at run time, so its
statement no longer tells. Python looks special methods up on the type,
so only stores on the class object count, and only of a special (`__x__`)
name or a name computed at run time: other attributes give no protocol.
Such stores are looked for in the module that defines the class.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asynclint import attribute_stores
from asynclint.summary import ClassInfo, FunctionInfo, ModuleSummary
from asynclint.values import ClassRef

if TYPE_CHECKING:
    from asynclint.infer import Inference

# What a store's target object is evaluated in.
_Scope = FunctionInfo | ModuleSummary
_DYNAMIC_STORES = frozenset({"setattr", "delattr"})


def is_patched(inference: Inference, klass: ClassInfo) -> bool:
    """Whether the class's module stores a special method on the class."""
    return any(
        _is_class(inference, target, scope, klass)
        for target, scope in special_stores(klass.module)
    )


def _is_class(
    inference: Inference, target: ast.expr, scope: _Scope, klass: ClassInfo
) -> bool:
    value = inference.value(target, scope)
    return isinstance(value, ClassRef) and value.klass is klass


def special_stores(module: ModuleSummary) -> list[tuple[ast.expr, _Scope]]:
    """The objects the module stores special or computed attributes on,
    with the scope each is evaluated in (found once per summary)."""
    if module.special_stores is None:
        found: list[tuple[ast.expr, _Scope]] = []
        expressions = module.expression_stores is not False
        # A body an outline left out holds no special store (outlines.py).
        stores = attribute_stores.stores(module.tree, expressions, unread=False)
        for node, function in stores:
            target = _special_target(node)
            if target is None:
                continue
            scope: _Scope = module
            if function is not None:
                scope = module.function_of_node.get(id(function), module)
            found.append((target, scope))
        module.special_stores = found
    return module.special_stores


def _special_target(node: ast.Attribute | ast.Call) -> ast.expr | None:
    """The object a store gives a special or computed attribute, if it
    does (`Feed.__aiter__ = ...`, `setattr(Feed, name, ...)`)."""
    if isinstance(node, ast.Attribute):
        return node.value if attribute_stores.is_special_name(node.attr) else None
    if _is_dynamic_store(node) and not _names_plain_attribute(node.args[1:2]):
        return node.args[0]
    return None


def _is_dynamic_store(node: ast.AST) -> bool:
    """A call of `setattr` or `delattr` by that name on a plain argument."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _DYNAMIC_STORES
        and bool(node.args)
        and not isinstance(node.args[0], ast.Starred)
    )


def _names_plain_attribute(name: list[ast.expr]) -> bool:
    """Whether a `setattr` name argument is a literal, non-special name."""
    if not name or not isinstance(name[0], ast.Constant):
        return False
    value = name[0].value
    return isinstance(value, str) and not attribute_stores.is_special_name(value)
