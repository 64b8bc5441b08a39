"""What a call binds to the parameters of the project function it calls.

An argument can decide what the callee does. A literal may make a call
that would wait return at once (`timeout=0`, `block=False`,
`shutdown(wait=False)`), or send a helper down an early return before its
blocking call (`local_mode=True`, `remove_unix_socket(None)` whose body
starts `if not path: return`). An argument whose value inference knows
(a client the caller made) tells what a method called on an unannotated
parameter of the helper is. So the literals and known values a call binds
to a project function's parameters travel with the chain that follows it:
written at the call, passed on from a parameter of the caller, or left to
a default.

Only the parameters a function tests, passes on or calls methods of are
bound, and a string only by whether it is empty, so that a function is
followed once per distinct binding that can matter, not once per call.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from asynclint.entering import entered
from asynclint.infer import Inference
from asynclint.parameter_reads import holds_argument
from asynclint.summary import FunctionInfo
from asynclint.values import (
    UNKNOWN,
    DeclaredInstance,
    Instance,
    LibraryInstance,
    Value,
)


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant a parameter holds: `kind` is its type's name (`bool`,
    `int`, `float`, `NoneType`, `str`, `bytes`); `value` the constant, or
    for `str` and `bytes` only whether it is non-empty."""

    kind: str
    value: object

    @property
    def truth(self) -> bool:
        return bool(self.value)

    @property
    def is_text(self) -> bool:
        return self.kind in ("str", "bytes")


# What a parameter is known to hold for one call: a literal, or an object
# whose class inference knows.
Known = Literal | Value
# Parameter name -> what it holds, sorted by name.
Bindings = tuple[tuple[str, Known], ...]

# Values that travel: objects of a known class (a value of another shape
# tells nothing a call on the parameter could use).
_OBJECTS = (Instance, LibraryInstance, DeclaredInstance)


def bound_arguments(
    inference: Inference,
    call: ast.Call,
    callee: FunctionInfo,
    bound: bool,
    caller: FunctionInfo,
    known: Bindings,
    wanted: frozenset[str],
) -> Bindings:
    """What `call`, written in `caller` (whose parameters `known` binds),
    binds to the parameters of `callee` named in `wanted`: literals to any
    of them, known objects only to unannotated ones.

    A parameter the call may fill through `*args` or `**kwargs` is left
    out rather than taken at its default (`*args` never fills a
    keyword-only one).
    """
    args = callee.node.args
    positional = [*args.posonlyargs, *args.args]
    skip = _implicit_first(inference, callee, bound)
    objects = {
        p.arg
        for p in [*positional[skip:], *args.kwonlyargs]
        if p.annotation is None and p.arg in wanted
    }
    values: dict[str, Known] = {}
    outer = callee.parent if callee.parent is not None else callee.module
    for param, default in _defaults(args):
        if param.arg in wanted:
            found: Known | None = literal(default)
            if found is None and param.arg in objects:
                found = _object(inference.value(default, outer))
            _bind(values, param.arg, found)

    stars = [i for i, a in enumerate(call.args) if isinstance(a, ast.Starred)]
    written = call.args[: stars[0]] if stars else call.args
    filled = positional[skip : skip + len(written)]
    unfilled = positional[skip + len(written) :]
    for param, argument in zip(filled, written, strict=False):
        found = argument_known(inference, argument, caller, known, param.arg in objects)
        _bind(values, param.arg, found)
    maybe_filled = unfilled if stars else []  # `*args`: positional ones only
    keywords = _spelled_keywords(call.keywords)
    if keywords is None:  # a `**` of what only run time knows
        maybe_filled = [*unfilled, *args.kwonlyargs]
        keywords = [(k.arg, k.value) for k in call.keywords if k.arg is not None]
    for param in maybe_filled:
        values.pop(param.arg, None)
    named = {p.arg for p in [*args.args, *args.kwonlyargs]}
    for name, value in keywords:
        if name in named:
            found = argument_known(inference, value, caller, known, name in objects)
            _bind(values, name, found)
    return tuple(sorted((k, v) for k, v in values.items() if k in wanted))


def _spelled_keywords(
    keywords: list[ast.keyword],
) -> list[tuple[str, ast.expr]] | None:
    """The call's keyword arguments by name, a `**{"name": value}` written
    inline counting as `name=value`; None when a `**` passes a mapping
    whose keys are not all spelled there. Known gap: a dict bound to a name
    first (`options = {...}; serve(**options)`) is not read, since code in
    between may change it."""
    spelled: list[tuple[str, ast.expr]] = []
    for keyword in keywords:
        if keyword.arg is not None:
            spelled.append((keyword.arg, keyword.value))
            continue
        mapping = keyword.value
        if not isinstance(mapping, ast.Dict):
            return None
        for key, value in zip(mapping.keys, mapping.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None  # `**inner`, or a key computed at run time
            spelled.append((key.value, value))
    return spelled


def argument_known(
    inference: Inference,
    expr: ast.expr,
    function: FunctionInfo,
    known: Bindings,
    objects: bool = False,
) -> Known | None:
    """What an expression written in `function` holds, if it decides
    anything: a literal, a parameter of `function` that `known` binds and
    that is never rebound, or (with `objects`) an object whose class
    inference knows."""
    found = literal(expr)
    if found is not None:
        return found
    if known and isinstance(expr, ast.Name):
        for name, value in known:
            if name == expr.id:
                if holds_argument(inference, expr, function):
                    return value
                break
    if not objects:
        return None
    return _object(value_in(inference, expr, function, known))


def value_in(
    inference: Inference, expr: ast.expr, function: FunctionInfo, known: Bindings
) -> Value:
    """The value of `expr` in `function`, with the objects `known` binds
    to its unannotated parameters: `client.execute` is a library method
    when the caller handed `client` a library client, and so is
    `cursor.execute` after `cursor = conn.cursor()` when it handed `conn`
    a library connection."""
    root = _root(expr)
    if not known or not isinstance(root, ast.Name):
        return inference.value(expr, function)
    held = _held(inference, root, function, known, ())
    if held is None:
        return inference.value(expr, function)
    return _evaluate(inference, expr, function, held)


def _root(expr: ast.expr) -> ast.expr:
    """The name (or other expression) a chain of attributes and calls
    starts from."""
    while isinstance(expr, (ast.Attribute, ast.Call)):
        expr = expr.value if isinstance(expr, ast.Attribute) else expr.func
    return expr


def _held(
    inference: Inference,
    name: ast.Name,
    function: FunctionInfo,
    known: Bindings,
    seen: tuple[str, ...],
) -> Value | None:
    """The object `name` holds through what `known` binds: a parameter
    bound to one, or a local of `function` bound once, by `=` or `with`,
    from a chain of attributes and calls on such a name."""
    held = argument_known(inference, name, function, known)
    if held is not None:
        return None if isinstance(held, Literal) else held
    found = inference.lookup(name.id, function)
    if found is None or found[1] is not function or len(found[0]) != 1:
        return None
    binding = found[0][0]
    source = binding.value
    if binding.kind not in ("assign", "with") or source is None or name.id in seen:
        return None
    root = _root(source)
    if not isinstance(root, ast.Name):
        return None
    base = _held(inference, root, function, known, (*seen, name.id))
    if base is None:
        return None
    value = _evaluate(inference, source, function, base)
    if binding.kind == "with":
        value = entered(inference, value, binding.member == "async")
    return _object(value)


def _evaluate(
    inference: Inference, expr: ast.expr, function: FunctionInfo, root: Value
) -> Value:
    """`expr`, a chain of attributes and calls on a name that holds `root`."""
    if isinstance(expr, ast.Attribute):
        base = _evaluate(inference, expr.value, function, root)
        return inference.attribute(base, expr.attr, expr, function)
    if isinstance(expr, ast.Call):
        return inference.call_result(_evaluate(inference, expr.func, function, root))
    return root if isinstance(expr, ast.Name) else UNKNOWN


def literal(expr: ast.expr) -> Literal | None:
    """The literal `expr` writes: True, False, None, a number (`-1` too),
    a string or bytes."""
    if (
        isinstance(expr, ast.UnaryOp)
        and isinstance(expr.op, (ast.USub, ast.UAdd))
        and isinstance(expr.operand, ast.Constant)
    ):
        number = expr.operand.value
        if type(number) not in (int, float):
            return None
        assert isinstance(number, (int, float))
        signed = -number if isinstance(expr.op, ast.USub) else number
        return Literal(type(number).__name__, signed)
    if not isinstance(expr, ast.Constant):
        return None
    value = expr.value
    kind = type(value).__name__
    if isinstance(value, (str, bytes)):
        return Literal(kind, bool(value))
    if value is None or isinstance(value, (bool, int, float)):
        return Literal(kind, value)
    return None


def _object(value: Value) -> Value | None:
    return value if isinstance(value, _OBJECTS) else None


def _bind(values: dict[str, Known], name: str, found: Known | None) -> None:
    if found is None:
        values.pop(name, None)  # given, but as nothing that decides
    else:
        values[name] = found


def _defaults(args: ast.arguments) -> list[tuple[ast.arg, ast.expr]]:
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
    pairs += [
        (param, default)
        for param, default in zip(args.kwonlyargs, args.kw_defaults)
        if default is not None
    ]
    return pairs


def _implicit_first(inference: Inference, function: FunctionInfo, bound: bool) -> int:
    """1 when the call does not pass the first parameter itself (`self` of a
    method looked up on an instance, `cls` of a classmethod), else 0."""
    if function.owner is None:
        return 0
    scope = function.parent if function.parent is not None else function.module
    for decorator in function.node.decorator_list:
        name = inference.qualname_of(decorator, scope)
        if name == "builtins.staticmethod":
            return 0
        if name == "builtins.classmethod":
            return 1
    return 1 if bound else 0
