"""Attribute lookup on project classes and their instances.

A name is looked up along the class's method resolution order, as Python
does: methods, class-body bindings, and what methods store in `self.<name>`.
The answer is `UNKNOWN` whenever the class could hold something else at run
time: a base that does not resolve, a metaclass, `__getattr__`, several
definitions, or a store this module does not follow (unpacking, `setattr`
with a computed name, a closure).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asynclint import attribute_stores, decorators, typeforms
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.values import (
    NONE,
    UNKNOWN,
    ClassRef,
    FunctionRef,
    LibraryClass,
    LibraryFunction,
    Value,
    join,
    qualname_of_value,
)

# `infer` imports this module; the inference is only ever passed in.
if TYPE_CHECKING:
    from asynclint.infer import Inference, Scope


class ClassAttributes:
    """The attributes of project classes, for the file one `Inference` checks.

    It holds the per-file memos (MROs, instance attributes) and is handed the
    inference on every call instead of keeping it: the inference owns this
    object, and a reference back would make a cycle that, with the engine's
    garbage collector off, keeps every file's analysis alive.
    """

    def __init__(self) -> None:
        self._mros: dict[ClassInfo, list[ClassInfo | LibraryClass] | None] = {}
        self._instance_attributes: dict[tuple[ClassInfo, str], Value] = {}

    def mro(
        self, inference: Inference, klass: ClassInfo
    ) -> list[ClassInfo | LibraryClass] | None:
        """The class and its bases in method resolution order, or None when a
        base cannot be resolved (then nothing is known of its attributes)."""
        if klass in self._mros:
            return self._mros[klass]
        linear = self._mro(inference, klass)
        self._mros[klass] = linear
        return linear

    def _mro(
        self, inference: Inference, klass: ClassInfo
    ) -> list[ClassInfo | LibraryClass] | None:
        with inference.guard((id(klass), "mro")) as ok:
            if not ok:
                return None
            linear: list[ClassInfo | LibraryClass] = [klass]
            for base_expr in klass.node.bases:
                base = inference.value(base_expr, _outer_of_class(klass))
                if isinstance(base, ClassRef):
                    tail = self.mro(inference, base.klass)
                    if tail is None:
                        return None
                    linear.extend(c for c in tail if c not in linear)
                elif isinstance(base, LibraryClass):
                    linear.append(base)
                elif qualname_of_value(base) in typeforms.NEUTRAL_BASES:
                    continue
                else:
                    return None
            if any(kw.arg == "metaclass" for kw in klass.node.keywords):
                return None
            return linear

    def instance_attribute(
        self, inference: Inference, klass: ClassInfo, attr: str
    ) -> Value:
        """`instance.attr` for an instance of `klass` (memoised per file)."""
        key = (klass, attr)
        found = self._instance_attributes.get(key)
        if found is None:
            found = self._instance_attribute(inference, klass, attr)
            self._instance_attributes[key] = found
        return found

    def _instance_attribute(
        self, inference: Inference, klass: ClassInfo, attr: str
    ) -> Value:
        library = inference.library
        linear = self.mro(inference, klass)
        if linear is None:
            return UNKNOWN
        for entry in linear:
            if isinstance(entry, LibraryClass):
                method = library.method(entry.spec.qualname, attr)
                if method is not None:
                    return LibraryFunction(method)
                continue
            if "__getattr__" in entry.methods or "__getattribute__" in entry.methods:
                return UNKNOWN
            found = self.own_attribute(inference, entry, attr, instance=True)
            if found is not None:
                return found
        return UNKNOWN

    def class_attribute(
        self, inference: Inference, klass: ClassInfo, attr: str
    ) -> Value:
        """`klass.attr`, read on the class itself."""
        linear = self.mro(inference, klass)
        for entry in linear or [klass]:
            if isinstance(entry, LibraryClass):
                continue
            found = self.own_attribute(inference, entry, attr, instance=False)
            if found is not None:
                return found
        return UNKNOWN

    def super_attribute(
        self, inference: Inference, function: FunctionInfo, attr: str
    ) -> Value:
        """`super().attr` inside the method `function`."""
        library = inference.library
        owner = function.owner
        if owner is None:
            return UNKNOWN
        linear = self.mro(inference, owner)
        if linear is None:
            return UNKNOWN
        for entry in linear[1:]:
            if isinstance(entry, LibraryClass):
                method = library.method(entry.spec.qualname, attr)
                return LibraryFunction(method) if method is not None else UNKNOWN
            found = self.own_attribute(inference, entry, attr, instance=True)
            if found is not None:
                return found
        return UNKNOWN

    def own_attribute(
        self, inference: Inference, klass: ClassInfo, attr: str, instance: bool
    ) -> Value | None:
        """`attr` as defined by `klass` itself; None when it does not define it."""
        stored = instance and _stored_on_instances(klass, attr)
        methods = klass.methods.get(attr)
        if methods:
            if len(methods) != 1 or stored:
                return UNKNOWN
            method = methods[0]
            effects = [
                decorators.effect(inference, d, method)
                for d in method.node.decorator_list
            ]
            if "unknown" in effects:
                return UNKNOWN
            if "property" in effects:
                return inference.function_result(method) if instance else UNKNOWN
            return FunctionRef(method, bound=instance)
        bindings = klass.class_bindings.get(attr)
        if bindings:
            if len(bindings) != 1:
                return UNKNOWN
            binding = bindings[0]
            if binding.kind == "annotated" and binding.annotation is not None:
                if (
                    _is_classvar(inference, binding.annotation)
                    and binding.value is not None
                ):
                    return inference.value(binding.value, _outer_of_class(klass))
                return inference.annotation(binding.annotation, _outer_of_class(klass))
            if stored:
                return UNKNOWN  # a class-level default that instances overwrite
            value = inference.binding_value(binding, _outer_of_class(klass))
            # `attr = None` in a class body is a placeholder set from outside.
            return UNKNOWN if value == NONE else value
        if stored:
            return self.instance_data(inference, klass, attr)
        return None

    def instance_data(self, inference: Inference, klass: ClassInfo, attr: str) -> Value:
        """What the methods of `klass` store in `self.<attr>`, when all of it
        is plain `self.<attr> = value`."""
        assigned = klass.self_assignments.get(attr, [])
        stores = _attribute_stores(klass)
        if "*" in stores or len(assigned) != stores.get(attr, 0):
            return UNKNOWN  # also stored by unpacking, `for`, `with`, a closure...
        # `self.x = self.x.copy()` reads the attribute it defines: a cycle.
        with inference.guard((id(klass), f"self.{attr}")) as ok:
            if not ok:
                return UNKNOWN
            value = join([inference.value(expr, fn) for expr, fn in assigned])
        # Only None in sight: the real value is set where we do not look (by
        # another class, a subclass, or `setattr`).
        return UNKNOWN if value == NONE else value


def _stored_on_instances(klass: ClassInfo, attr: str) -> bool:
    return attr in _attribute_stores(klass)


def _attribute_stores(klass: ClassInfo) -> dict[str, int]:
    """How often the class body stores or deletes `<name>.<attr>`, by attr."""
    counts = klass.attribute_stores
    if counts is None:
        counts = {}
        expressions = klass.module.expression_stores is not False
        for node, _scope in attribute_stores.stores(klass.node, expressions):
            if isinstance(node, ast.Attribute):
                counts[node.attr] = counts.get(node.attr, 0) + 1
            elif _is_dynamic_store(node):
                # `setattr(self, "x", ...)` stores too; with a computed
                # name it may store any attribute ("*").
                assert isinstance(node, ast.Call)
                name = _constant_name(node.args[1]) or "*"
                counts[name] = counts.get(name, 0) + 1
        klass.attribute_stores = counts
    return counts


def _is_dynamic_store(node: ast.AST) -> bool:
    """A call of the builtin `setattr`/`delattr` by that name."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("setattr", "delattr")
        and len(node.args) >= 2
    )


def _constant_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _outer_of_class(klass: ClassInfo) -> Scope:
    return klass.module


def _is_classvar(inference: Inference, annotation: ast.expr) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    # Spelled, not resolved: `qualname_of` without a scope reads the dotted name.
    return inference.qualname_of(target) in ("ClassVar", "typing.ClassVar")
