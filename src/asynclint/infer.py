"""Inference: what an expression evaluates to, from what the code states.

Names are resolved through the scopes of the module being checked, the
summaries of the project modules it imports (re-exports and star imports
followed, see `star_imports`), and the library model for everything outside
the project. Anything the code does
not state plainly (several bindings, unknown decorators, dynamic attributes)
is `UNKNOWN`, and the rules say nothing about it. Attributes of project
classes are looked up in `classes`, which evaluates through this module.
"""

from __future__ import annotations

import ast
import builtins
import weakref
from pathlib import Path

from asynclint import decorators, entering, typeforms
from asynclint.classes import ClassAttributes
from asynclint.guard import Guard
from asynclint.index import ProjectIndex
from asynclint.library import LibraryModel, tuple_items
from asynclint.overrides import overridden_as_other_kind
from asynclint.star_imports import StarImports
from asynclint.summary import Binding, ClassInfo, FunctionInfo, ModuleSummary
from asynclint.values import (
    NONE,
    UNKNOWN,
    Awaitable,
    CallableOf,
    ClassRef,
    ContextManager,
    Coroutine,
    DeclaredInstance,
    ExternalRef,
    FunctionRef,
    Instance,
    LibraryClass,
    LibraryFunction,
    LibraryInstance,
    ModuleRef,
    NoReturn,
    Plain,
    Value,
    join,
    qualname_of_value,
)

Scope = FunctionInfo | ModuleSummary

_BUILTIN_NAMES = frozenset(dir(builtins))
# Bindings whose values may be joined when a name has a few of them.
_JOINED_KINDS = frozenset({"assign", "annotated", "with", "unpack"})
_MAX_JOINED = 4

_CLASS_DECORATORS = frozenset(
    {
        "dataclasses.dataclass",
        "functools.total_ordering",
        "typing.final",
        "typing.runtime_checkable",
        "typing_extensions.final",
    }
)


class Inference:
    """Evaluates expressions to `Value`s; one instance serves one checked file."""

    def __init__(
        self, index: ProjectIndex, library: LibraryModel, subclasses: bool = True
    ) -> None:
        self.index = index
        self.library = library
        # Whether `self.method` looks for project subclasses that redefine
        # the method as the other kind (overrides.py). Without the search,
        # every such method is taken as defined: answers can only be more
        # definite, so a file clean without it is clean with it.
        self.subclasses = subclasses
        # Whether some method was taken as defined without that search.
        self.unsearched = False
        self.touched: set[Path] = set()
        # (method name, is_async) -> digest: see `Analysis.assumptions`.
        self.assumed: dict[tuple[str, bool], str] = {}
        # Ids of the checked file's names bound where the summary does not
        # look (`Sites.shadowed`): unknown, not looked up in an outer scope.
        self.shadowed: set[int] = set()
        self._active: set[tuple[int, str]] = set()
        self._results: dict[FunctionInfo, Value] = {}
        self._values: dict[int, tuple[ast.expr, Value]] = {}
        self.classes = ClassAttributes()
        self.stars = StarImports()
        self._external_memo = _EXTERNAL_MEMO.setdefault(library, {})

    # -- guards -----------------------------------------------------------

    def guard(self, key: tuple[int, str]) -> Guard:
        """A context whose value is False when `key` is already being
        evaluated (a cycle) or the evaluation is too deep."""
        return Guard(self._active, key)

    def module(self, name: str) -> ModuleSummary | None:
        """A project module's summary, remembered as a dependency."""
        summary = self.index.summary(name)
        if summary is not None:
            self.touched.add(summary.path)
        return summary

    # -- names ------------------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> tuple[list[Binding], Scope] | None:
        """The bindings of `name` visible from `scope`, and where they live."""
        current: Scope | None = scope
        while isinstance(current, FunctionInfo):
            if name in current.bindings:
                return current.bindings[name], current
            current = current.parent
        module = scope.module if isinstance(scope, FunctionInfo) else scope
        if module.star_imports:
            found = self.stars.bindings(self, module, name)
            return (found, module) if found else None
        if name in module.bindings:
            return module.bindings[name], module
        return None

    def name(self, name: str, scope: Scope) -> Value:
        found = self.lookup(name, scope)
        if found is None:
            if name in _BUILTIN_NAMES:
                return self.external(f"builtins.{name}")
            return UNKNOWN
        bindings, where = found
        if len(bindings) == 1:
            return self.binding_value(bindings[0], where)
        # Bound by assignment in a few places (both branches of an `if`):
        # known when every value agrees (`join`). A value that reads the
        # name itself (`text = text.strip()`) is left unknown: following
        # such chains through each other costs exponential time.
        if len(bindings) <= _MAX_JOINED and all(
            b.kind in _JOINED_KINDS and not _reads(b.value, name) for b in bindings
        ):
            return join([self.binding_value(b, where) for b in bindings])
        return UNKNOWN

    def binding_value(self, binding: Binding, scope: Scope) -> Value:
        with self.guard((id(binding), "value")) as ok:
            if not ok:
                return UNKNOWN
            if binding.kind == "function" and binding.function is not None:
                return decorators.function_object(self, binding.function)
            if binding.kind == "class" and binding.klass is not None:
                return self.class_object(binding.klass, scope)
            if binding.kind == "import":
                if binding.member is not None and binding.module == _name_of(scope):
                    # `from . import m` in a package's own `__init__.py`:
                    # the package has no `m` yet, so the submodule is read.
                    return self.submodule(binding.module, binding.member)
                return self.imported(binding.module, binding.member)
            if binding.kind == "annotated" and binding.annotation is not None:
                declared = self.annotation(binding.annotation, _outer(scope))
                if declared != UNKNOWN or binding.value is None:
                    return declared
                return self.value(binding.value, scope)
            if binding.kind == "assign" and binding.value is not None:
                return self.value(binding.value, scope)
            if binding.kind == "unpack" and binding.value and binding.unpacked:
                return self.unpacked(binding.value, *binding.unpacked, scope)
            if binding.kind == "with" and binding.value is not None:
                manager = self.value(binding.value, scope)
                return entering.entered(self, manager, binding.member == "async")
            if isinstance(binding.node, ast.arg) and isinstance(scope, FunctionInfo):
                return self.parameter(binding.node, scope)
        return UNKNOWN

    def parameter(self, arg: ast.arg, function: FunctionInfo) -> Value:
        params = function.parameters
        owner = function.owner
        if owner is not None and params and params[0] is arg:
            outer = _outer(function)
            decorators = {
                self.qualname_of(d, outer) for d in function.node.decorator_list
            }
            if "builtins.staticmethod" in decorators:
                pass
            elif "builtins.classmethod" in decorators:
                return ClassRef(owner)
            else:
                return Instance(owner)
        if arg.annotation is not None:
            return self.annotation(arg.annotation, _outer(function))
        return UNKNOWN

    def imported(self, module: str, member: str | None) -> Value:
        if member is None:
            return ModuleRef(module)
        summary = self.module(module)
        submodule = f"{module}.{member}"
        if summary is not None:
            if self.lookup(member, summary) is not None:
                return self.name(member, summary)
            return self.submodule(module, member)
        if self.index.find_module(submodule):
            # A project module inside a namespace package (no __init__.py).
            return ModuleRef(submodule)
        return self.external(submodule)

    def submodule(self, package: str, member: str) -> Value:
        """The project submodule `package.member`, if there is one."""
        name = f"{package}.{member}"
        if self.index.find_module(name) or self.index.is_namespace_package(name):
            return ModuleRef(name)
        return UNKNOWN

    def unpacked(self, expr: ast.expr, index: int, length: int, scope: Scope) -> Value:
        """What the `index`-th of the `length` names of a flat tuple target
        gets from `expr`: known only when `expr` has as many items."""
        if isinstance(expr, (ast.Tuple, ast.List)):
            items = expr.elts
            if len(items) != length or any(isinstance(e, ast.Starred) for e in items):
                return UNKNOWN
            return self.value(items[index], scope)
        value = self.value(expr, scope)
        if isinstance(value, Plain) and value.items and len(value.items) == length:
            return value.items[index]
        return UNKNOWN

    def external(self, qualname: str) -> Value:
        """A name outside the project, through the library model; where
        the answer depends on the release of the library the project
        requires, the files saying so become dependencies."""
        found = self._external_memo.get(qualname)
        if found is None:
            library = self.library
            found = (self._external(qualname), library.depends_on_versions(qualname))
            self._external_memo[qualname] = found
        if found[1]:
            self.touched.update(self.library.version_sources)
        return found[0]

    def _external(self, qualname: str) -> Value:
        canonical = self.library.canonical(qualname)
        spec = self.library.function(canonical)
        if spec is not None:
            return LibraryFunction(spec)
        klass = self.library.class_(canonical)
        if klass is not None:
            return LibraryClass(klass)
        return ExternalRef(canonical)

    def qualname_of(self, expr: ast.expr, scope: Scope | None = None) -> str | None:
        """The qualified name a decorator-like expression refers to."""
        if scope is None:
            return _dotted(expr)
        value = self.value(expr, scope)
        return qualname_of_value(value)

    # -- objects ----------------------------------------------------------

    def class_object(self, klass: ClassInfo, scope: Scope) -> Value:
        for decorator in klass.node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (
                qualname_of_value(self.value(target, _outer(scope)))
                not in _CLASS_DECORATORS
            ):
                return UNKNOWN
        return ClassRef(klass)

    # -- expressions ------------------------------------------------------

    def value(self, expr: ast.expr, scope: Scope) -> Value:
        """The value of `expr` evaluated in `scope`, memoised per node.

        A node is only ever evaluated in its own lexical scope, so the node
        alone is the key; the memo keeps the node alive so that its id is
        not reused by a later temporary node (parsed string annotations).
        """
        found = self._values.get(id(expr))
        if found is not None and found[0] is expr:
            return found[1]
        result = self._value(expr, scope)
        if not self._active:
            # Only answers computed outside any cycle guard are final; inside
            # one, a cut-off cycle may have made a part UNKNOWN.
            self._values[id(expr)] = (expr, result)
        return result

    def _value(self, expr: ast.expr, scope: Scope) -> Value:
        if isinstance(expr, ast.Name):
            if id(expr) in self.shadowed:
                return UNKNOWN
            return self.name(expr.id, scope)
        if isinstance(expr, ast.Attribute):
            return self.attribute(self.value(expr.value, scope), expr.attr, expr, scope)
        if isinstance(expr, ast.Call):
            return self.call(expr, scope)
        if isinstance(expr, ast.Await):
            return self.awaited(self.value(expr.value, scope))
        if isinstance(expr, ast.Constant):
            return NONE if expr.value is None else Plain(type(expr.value).__name__)
        if isinstance(expr, (ast.List, ast.ListComp)):
            return Plain("list")
        if isinstance(expr, (ast.Dict, ast.DictComp)):
            return Plain("dict")
        if isinstance(expr, (ast.Set, ast.SetComp)):
            return Plain("set")
        if isinstance(expr, ast.Tuple):
            return Plain("tuple")
        if isinstance(expr, (ast.JoinedStr, ast.Compare)):
            return Plain("str" if isinstance(expr, ast.JoinedStr) else "bool")
        if isinstance(expr, ast.GeneratorExp):
            return Plain("generator")
        if isinstance(expr, ast.Lambda):
            return UNKNOWN
        if isinstance(expr, ast.NamedExpr):
            return self.value(expr.value, scope)
        if isinstance(expr, ast.IfExp):
            return join([self.value(expr.body, scope), self.value(expr.orelse, scope)])
        return UNKNOWN

    def call(self, call: ast.Call, scope: Scope) -> Value:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "super"
            and isinstance(scope, FunctionInfo)
        ):
            return self.call_result(
                self.classes.super_attribute(self, scope, func.attr)
            )
        return self.call_result(self.value(func, scope))

    def call_result(self, callee: Value) -> Value:
        """The value a call of `callee` returns."""
        if isinstance(callee, FunctionRef):
            return self.function_result(callee.function)
        if isinstance(callee, ClassRef):
            return Instance(callee.klass, exact=True)
        if isinstance(callee, LibraryClass):
            return LibraryInstance(callee.spec)
        if isinstance(callee, LibraryFunction):
            spec = callee.spec
            result = self.library_instance(spec.returns)
            if spec.kind == "coroutine":
                return Coroutine(result, spec.qualname)
            if spec.kind == "awaitable":
                return Awaitable(result, spec.qualname)
            if result == UNKNOWN:
                return Plain(f"the result of `{spec.qualname}()`")
            return result
        if isinstance(callee, CallableOf):
            return callee.result
        if isinstance(callee, LibraryInstance):
            # A callable instance (sqlalchemy's `sessionmaker(...)()`).
            method = self.library.method(callee.spec.qualname, "__call__")
            return self.call_result(LibraryFunction(method)) if method else UNKNOWN
        if isinstance(callee, ExternalRef) and self.library.has_declared_methods(
            callee.qualname
        ):
            return DeclaredInstance(callee.qualname)
        return UNKNOWN

    def library_instance(self, qualname: str | None) -> Value:
        if qualname is None:
            return UNKNOWN
        if qualname == "None":
            return NONE
        items = tuple_items(qualname)
        if items is not None:
            return Plain("tuple", tuple(self.library_instance(i) for i in items))
        spec = self.library.class_(self.library.canonical(qualname))
        if spec is not None:
            return LibraryInstance(spec)
        if qualname.startswith("builtins."):
            # The type of a constant of that kind: `builtins.bytes` is what
            # `b""` is.
            return Plain(qualname.removeprefix("builtins."))
        return UNKNOWN

    def function_result(self, function: FunctionInfo) -> Value:
        """What calling `function` returns, memoised."""
        if function in self._results:
            return self._results[function]
        with self.guard((id(function), "result")) as ok:
            if not ok:
                return UNKNOWN
            result = self._function_result(function)
        self._results[function] = result
        return result

    def _function_result(self, function: FunctionInfo) -> Value:
        # A nested `def` is not the module-level name a declaration gives
        # (its qualname leaves out the enclosing function), and "blocking"
        # says what a call costs, not what it returns.
        declared_spec = (
            self.library.function(function.qualname)
            if function.parent is None
            else None
        )
        if declared_spec is not None and declared_spec.kind != "blocking":
            # The user stated what this project function is (config, or a
            # migration that describes the new truth before the code has it).
            result = self.call_result(LibraryFunction(declared_spec))
            if not isinstance(result, LibraryInstance) or result.spec.enters in (
                "self",
                result.spec.qualname,
            ):
                return result  # entering gives the same object: it is the resource
            if result.spec.context in ("async", "sync"):
                is_async = result.spec.context == "async"
                # A declaration the code agrees with (`@asynccontextmanager`
                # declared an async context manager) keeps what it yields.
                own = decorators.decorated_result(self, function)
                factory = None
                if isinstance(own, ContextManager) and own.is_async == is_async:
                    factory = own.factory
                return ContextManager(is_async, function.qualname, factory)
            return result
        decorated = decorators.decorated_result(self, function)
        if decorated is not None:
            return decorated
        if function.always_raises:
            return NoReturn()
        kind = function.kind
        if kind == "async-generator":
            from asynclint.values import AsyncGenerator

            return AsyncGenerator(function.qualname)
        if kind == "generator":
            return Plain("a generator")
        declared: Value = UNKNOWN
        if function.node.returns is not None:
            declared = self.annotation(function.node.returns, _outer(function))
        elif kind == "sync" or function.returns:
            declared = self.returned(function)
        if kind == "coroutine":
            return Coroutine(declared, function.qualname)
        return declared

    def returned(self, function: FunctionInfo) -> Value:
        """Join what the `return` statements of an unannotated function return."""
        values: list[Value] = []
        for expr in function.returns:
            values.append(NONE if expr is None else self.value(expr, function))
        if not values:
            return NONE
        return join(values)

    def awaited(self, value: Value) -> Value:
        if isinstance(value, (Coroutine, Awaitable)):
            return value.result
        return UNKNOWN

    # -- attributes -------------------------------------------------------

    def attribute(
        self,
        base: Value,
        attr: str,
        node: ast.expr | None = None,
        scope: Scope | None = None,
    ) -> Value:
        if isinstance(base, ModuleRef):
            return self.imported(base.name, attr)
        if isinstance(base, ExternalRef):
            return self.external(f"{base.qualname}.{attr}")
        if isinstance(base, (Instance, ClassRef)):
            if isinstance(base, Instance):
                found = self.classes.instance_attribute(self, base.klass, attr)
            else:
                found = self.classes.class_attribute(self, base.klass, attr)
            if (
                isinstance(found, FunctionRef)
                and found.function.owner is not None
                and self._may_be_subclass(base, node, scope)
            ):
                if not self.subclasses:
                    self.unsearched = True
                elif overridden_as_other_kind(self, found.function):
                    return UNKNOWN  # a subclass may redefine it as the other kind
            return found
        if isinstance(base, LibraryInstance):
            method = self.library.method(base.spec.qualname, attr)
            if method is not None:
                return LibraryFunction(method)
            return self.library_instance(
                self.library.attribute(base.spec.qualname, attr)
            )
        if isinstance(base, LibraryClass):
            method = self.library.method(base.spec.qualname, attr)
            if method is not None:
                return LibraryFunction(method)
        if isinstance(base, DeclaredInstance):
            method = self.library.method(base.qualname, attr)
            return LibraryFunction(method) if method is not None else UNKNOWN
        return UNKNOWN

    def _may_be_subclass(
        self, base: Instance | ClassRef, node: ast.expr | None, scope: Scope | None
    ) -> bool:
        """Whether the object an attribute is read from may belong to a
        subclass: an instance not made by calling its class (`self`, an
        annotated parameter or result), or the `cls` of a classmethod."""
        if isinstance(base, Instance):
            return not base.exact
        return (
            isinstance(node, ast.Attribute)
            and scope is not None
            and self.is_first_parameter(node.value, scope)
        )

    def is_first_parameter(self, expr: ast.expr, scope: Scope) -> bool:
        """Whether `expr` names the `self` (or `cls`) parameter of a method."""
        if not isinstance(expr, ast.Name):
            return False
        found = self.lookup(expr.id, scope)
        if found is None or len(found[0]) != 1:
            return False
        where = found[1]
        return (
            isinstance(where, FunctionInfo)
            and where.owner is not None
            and bool(where.parameters)
            and found[0][0].node is where.parameters[0]
        )

    # Rules and their helpers ask the inference, not `classes`, for these two.

    def mro(self, klass: ClassInfo) -> list[ClassInfo | LibraryClass] | None:
        """The class and its bases in method resolution order, or None."""
        return self.classes.mro(self, klass)

    def instance_attribute(self, klass: ClassInfo, attr: str) -> Value:
        """`instance.attr` for an instance of `klass`."""
        return self.classes.instance_attribute(self, klass, attr)

    # -- annotations ------------------------------------------------------

    def annotation(self, expr: ast.expr, scope: Scope) -> Value:
        """The value of an object whose declared type is `expr`."""
        return typeforms.instance_of(self, expr, scope)


# Library answers depend only on the model; kept per model, and dropped
# with it.
_EXTERNAL_MEMO: weakref.WeakKeyDictionary[
    LibraryModel, dict[str, tuple[Value, bool]]
] = weakref.WeakKeyDictionary()


def _outer(scope: Scope) -> Scope:
    """The scope a function's decorators and annotations are evaluated in."""
    if isinstance(scope, FunctionInfo):
        return scope.parent if scope.parent is not None else scope.module
    return scope


def _name_of(scope: Scope) -> str | None:
    """The module's name for a module scope; None for a function's."""
    return scope.name if isinstance(scope, ModuleSummary) else None


def _reads(expr: ast.expr | None, name: str) -> bool:
    """Whether `expr` reads the name `name` anywhere."""
    return expr is not None and any(
        isinstance(node, ast.Name) and node.id == name for node in ast.walk(expr)
    )


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        base = _dotted(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None
