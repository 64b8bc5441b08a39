"""Reading type annotations as values: `Optional[X]`, `Awaitable[T]`, aliases."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asynclint.summary import Binding
from asynclint.values import (
    NONE,
    UNKNOWN,
    Awaitable,
    CallableOf,
    ClassRef,
    Coroutine,
    Instance,
    LibraryClass,
    LibraryInstance,
    NoReturn,
    Plain,
    Value,
    join,
    qualname_of_value,
)

if TYPE_CHECKING:
    from asynclint.infer import Inference, Scope

# Bases that add nothing a rule cares about; a class deriving from them is
# still fully known.
NEUTRAL_BASES = frozenset(
    {
        "builtins.object",
        "builtins.Exception",
        "builtins.BaseException",
        "builtins.ValueError",
        "builtins.RuntimeError",
        "abc.ABC",
        "typing.Generic",
        "typing.NamedTuple",
        "enum.Enum",
        "enum.IntEnum",
        "enum.StrEnum",
    }
)

_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
_COROUTINE_TYPES = frozenset(
    {"typing.Coroutine", "collections.abc.Coroutine", "types.CoroutineType"}
)
# May be a Future that runs without being awaited: dropping one is no bug.
_AWAITABLE_TYPES = frozenset({"typing.Awaitable", "collections.abc.Awaitable"})
_TASK_TYPES = frozenset(
    {"asyncio.Task", "asyncio.Future", "asyncio.tasks.Task", "asyncio.futures.Future"}
)
# The generator annotations of `@contextmanager` / `@asynccontextmanager`
# functions, whose first argument is what `with ... as x` binds.
GENERATOR_TYPES = frozenset(
    {
        f"{module}.{name}"
        for module in ("typing", "collections.abc", "typing_extensions")
        for name in ("Iterator", "Generator", "AsyncIterator", "AsyncGenerator")
    }
)
_CALLABLE_TYPES = frozenset({"typing.Callable", "collections.abc.Callable"})
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_NO_RETURN = frozenset(
    {
        "typing.NoReturn",
        "typing.Never",
        "typing_extensions.NoReturn",
        "typing_extensions.Never",
    }
)
_PLAIN_BUILTINS = frozenset(
    {
        "int",
        "str",
        "bool",
        "float",
        "bytes",
        "list",
        "dict",
        "set",
        "tuple",
        "frozenset",
    }
)
_TUPLES = frozenset({"builtins.tuple", "typing.Tuple"})
_PLAIN_GENERICS = frozenset(
    {f"builtins.{name}" for name in _PLAIN_BUILTINS}
    | {"typing.List", "typing.Dict", "typing.Set", "typing.Tuple", "typing.FrozenSet"}
)


def instance_of(inference: Inference, expr: ast.expr, scope: Scope) -> Value:
    """The value of an object declared with annotation `expr`."""
    if isinstance(expr, ast.Constant):
        if expr.value is None:
            return NONE
        if isinstance(expr.value, str):
            try:
                parsed = ast.parse(expr.value.strip(), mode="eval").body
            except SyntaxError:
                return UNKNOWN
            return instance_of(inference, parsed, scope)
        return UNKNOWN
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _union(inference, [expr.left, expr.right], scope)
    if isinstance(expr, ast.Subscript):
        return _generic(inference, expr, scope)
    if isinstance(expr, (ast.Name, ast.Attribute)):
        alias = _alias_target(inference, expr, scope)
        if alias is not None:
            target, where = alias
            return instance_of(inference, target, where)
        return _instance_of_reference(inference, inference.value(expr, scope))
    return UNKNOWN


def _instance_of_reference(inference: Inference, ref: Value) -> Value:
    if isinstance(ref, ClassRef):
        return Instance(ref.klass)
    if isinstance(ref, LibraryClass):
        return LibraryInstance(ref.spec)
    name = qualname_of_value(ref)
    if name is None:
        return UNKNOWN
    if name in _NO_RETURN:
        return NoReturn()
    if name in _COROUTINE_TYPES:
        return Coroutine(UNKNOWN, "an awaitable-typed value")
    if name in _AWAITABLE_TYPES:
        return Awaitable(UNKNOWN, "an awaitable-typed value")
    if name in _TASK_TYPES:
        return Awaitable(UNKNOWN, name)
    if name.startswith("builtins.") and name[9:] in _PLAIN_BUILTINS:
        return Plain(name[9:])
    return UNKNOWN


def _generic(inference: Inference, expr: ast.Subscript, scope: Scope) -> Value:
    base = inference.value(expr.value, scope)
    name = qualname_of_value(base)
    args = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
    if name in _OPTIONAL:
        return instance_of(inference, args[0], scope)
    if name in _UNION:
        return _union(inference, list(args), scope)
    if name in _ANNOTATED:
        return instance_of(inference, args[0], scope)
    if name in _COROUTINE_TYPES:
        result = instance_of(inference, args[-1], scope)
        return Coroutine(result, "an awaitable-typed value")
    if name in _AWAITABLE_TYPES:
        result = instance_of(inference, args[-1], scope)
        return Awaitable(result, "an awaitable-typed value")
    if name in _TASK_TYPES:
        return Awaitable(instance_of(inference, args[0], scope), name)
    if name in _CALLABLE_TYPES and len(args) == 2:
        result = instance_of(inference, args[1], scope)
        if isinstance(result, Awaitable) and _names_awaitable(
            inference, args[1], scope
        ):
            # `Callable[..., Awaitable[T]]` is how async callbacks are typed:
            # what is passed is, by convention, an `async def`.
            result = Coroutine(result.result, "an awaitable-typed value")
        return CallableOf(result, "a callable")
    if name in _TUPLES and args and not any(_is_ellipsis(a) for a in args):
        # `tuple[A, B]`, not `tuple[A, ...]`: its length is known.
        items = tuple(instance_of(inference, arg, scope) for arg in args)
        return Plain("tuple", items)
    if name in _PLAIN_GENERICS:
        return Plain(name.rsplit(".", 1)[-1].lower())
    return _instance_of_reference(inference, base)


def _is_ellipsis(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is Ellipsis


def _names_awaitable(inference: Inference, expr: ast.expr, scope: Scope) -> bool:
    """Whether `expr` is spelled `Awaitable[...]` (not `Task[...]` or an alias)."""
    target = expr.value if isinstance(expr, ast.Subscript) else expr
    return qualname_of_value(inference.value(target, scope)) in _AWAITABLE_TYPES


def _union(inference: Inference, members: list[ast.expr], scope: Scope) -> Value:
    values = [instance_of(inference, member, scope) for member in members]
    if all(isinstance(v, Plain) for v in values):
        return Plain("value")
    if NONE in values and len(values) == 2:
        other = values[0] if values[1] == NONE else values[1]
        return other
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        return distinct[0]
    return UNKNOWN if UNKNOWN in values else join(values)


def _alias_target(
    inference: Inference, expr: ast.expr, scope: Scope
) -> tuple[ast.expr, Scope] | None:
    """For a name bound to a type expression (`Alias = Callable[...]`), that
    expression and the scope it lives in; imports of it are followed."""
    if not isinstance(expr, ast.Name):
        return None
    found = inference.lookup(expr.id, scope)
    if found is None or len(found[0]) != 1:
        return None
    binding: Binding = found[0][0]
    where: Scope = found[1]
    for _ in range(10):
        if binding.kind != "import":
            break
        summary = inference.module(binding.module) if binding.member else None
        if summary is None or binding.member is None:
            return None
        # Through `lookup`, which counts the other module's star imports.
        candidates = inference.lookup(binding.member, summary)
        if candidates is None or len(candidates[0]) != 1:
            return None
        binding, where = candidates[0][0], summary
    if binding.kind == "assign" and isinstance(
        binding.value, (ast.Subscript, ast.BinOp)
    ):
        return binding.value, where
    return None
