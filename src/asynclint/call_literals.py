"""Literal arguments, and the calls they make return at once.

`timeout=0`, `block=False` or `shutdown(wait=False)` turn a call that
would wait into one that does not. The literal may be written at the call,
or passed down from a caller through a parameter of a project function
(`close(wait=False)` whose body calls `shutdown(wait=wait)`), so the
falsy literals a call binds to a project function's parameters travel
with the chain that follows it.
"""

from __future__ import annotations

import ast

from asynclint.infer import Inference
from asynclint.library import CallableSpec
from asynclint.summary import FunctionInfo
from asynclint.values import LibraryInstance, qualname_of_value

# Parameter name -> the falsy literal (False, 0) it holds, sorted by name.
Literals = tuple[tuple[str, object], ...]

# A flag that makes a resolver call answer from the text of the address alone.
_NO_LOOKUP_FLAGS = frozenset(
    {"socket.AI_NUMERICHOST", "socket.AddressInfo.AI_NUMERICHOST"}
)
_SOCKET = "socket.socket."
# Methods that switch a socket to non-blocking mode when given False or 0.
_MODE_SWITCHES = frozenset({"socket.socket.setblocking", "socket.socket.settimeout"})
_MISSING = object()


def bound_literals(
    inference: Inference,
    call: ast.Call,
    callee: FunctionInfo,
    bound: bool,
    caller: FunctionInfo,
    known: Literals,
) -> Literals:
    """The parameters of `callee` that `call`, written in `caller`, sets to a
    falsy literal: given there, passed on from a parameter of `caller` that
    `known` holds, or left to a falsy literal default.

    Only falsy literals are kept (they are the ones that make a call return
    at once), so that a function is followed once per distinct binding that
    can matter, not once per call.
    """
    args = callee.node.args
    positional = [*args.posonlyargs, *args.args]
    skip = _implicit_first(inference, callee, bound)
    values: dict[str, object] = {}
    for param, default in _defaults(args):
        literal = _literal(default)
        if literal is not _MISSING:
            values[param.arg] = literal
    for param, argument in zip(positional[skip:], call.args, strict=False):
        if isinstance(argument, ast.Starred):
            break
        _bind(values, param.arg, argument_literal(inference, argument, caller, known))
    named = {p.arg for p in [*args.args, *args.kwonlyargs]}
    for keyword in call.keywords:
        if keyword.arg in named:
            value = argument_literal(inference, keyword.value, caller, known)
            _bind(values, keyword.arg, value)
    return tuple(sorted(values.items()))


def waits_no_time(
    inference: Inference,
    call: ast.Call,
    function: FunctionInfo,
    spec: CallableSpec,
    known: Literals,
) -> bool:
    """Whether a call of the blocking library callable `spec`, written in
    `function`, returns at once: `timeout=0`, `block=False` or
    `blocking=False`, the spec's wait flag given False (all as literals, or
    parameters of `function` that `known` binds so), a resolver told not to
    look names up (`AI_NUMERICHOST`), or a method of a socket that
    `function` was handed or made non-blocking."""
    for keyword in call.keywords:
        value = argument_literal(inference, keyword.value, function, known)
        if keyword.arg == "timeout" and value == 0:
            return True
        if keyword.arg in ("block", "blocking") and value is False:
            return True
    if spec.wait_flag is not None and _flag_value(
        inference, call, function, spec.wait_flag, known
    ):
        return True
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        for node in ast.walk(argument):
            if (
                isinstance(node, (ast.Name, ast.Attribute))
                and qualname_of_value(inference.value(node, function))
                in _NO_LOOKUP_FLAGS
            ):
                return True
    return _socket_made_non_blocking(inference, call, function)


def argument_literal(
    inference: Inference, expr: ast.expr, function: FunctionInfo, known: Literals
) -> object:
    """The literal an argument expression holds, or `_MISSING`: a constant,
    or a parameter of `function` bound in `known` and never rebound."""
    literal = _literal(expr)
    if literal is not _MISSING or not known or not isinstance(expr, ast.Name):
        return literal
    for name, value in known:
        if name == expr.id:
            own = is_parameter(inference, expr, function, own=True)
            return value if own else _MISSING
    return _MISSING


def is_parameter(
    inference: Inference, name: ast.Name, function: FunctionInfo, own: bool = False
) -> bool:
    """Whether `name`, read in `function`, is a parameter bound nowhere else
    (with `own`, a parameter of `function` itself, not of an outer one)."""
    found = inference.lookup(name.id, function)
    if found is None or len(found[0]) != 1 or (own and found[1] is not function):
        return False
    return isinstance(found[0][0].node, ast.arg)


def _flag_value(
    inference: Inference,
    call: ast.Call,
    function: FunctionInfo,
    flag: tuple[str, int],
    known: Literals,
) -> bool:
    """Whether the wait flag `(name, position)` is given a literal False."""
    name, position = flag
    for keyword in call.keywords:
        if keyword.arg == name:
            return argument_literal(inference, keyword.value, function, known) is False
    # A position counts only on a method called on an instance, where
    # `self` is not among the arguments.
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if receiver is None or len(call.args) <= position:
        return False
    if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return False
    if not isinstance(inference.value(receiver, function), LibraryInstance):
        return False
    given = argument_literal(inference, call.args[position], function, known)
    return given is False


def _socket_made_non_blocking(
    inference: Inference, call: ast.Call, function: FunctionInfo
) -> bool:
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not isinstance(receiver, ast.Name):
        return False
    callee = qualname_of_value(inference.value(call.func, function)) or ""
    if callee.startswith(_SOCKET) and is_parameter(inference, receiver, function):
        return True  # the caller may have made it non-blocking
    for other in function.calls:
        func = other.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == receiver.id
            and other.args
            and isinstance(other.args[0], ast.Constant)
            and other.args[0].value in (False, 0)
            and qualname_of_value(inference.value(func, function)) in _MODE_SWITCHES
        ):
            return True
    return False


def _literal(expr: ast.expr) -> object:
    """A falsy number or False written as a literal, else `_MISSING`."""
    if not isinstance(expr, ast.Constant):
        return _MISSING
    value = expr.value
    if isinstance(value, (bool, int, float)) and not value:
        return value
    return _MISSING


def _bind(values: dict[str, object], name: str, literal: object) -> None:
    if literal is _MISSING:
        values.pop(name, None)  # given, but not as a falsy literal
    else:
        values[name] = literal


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
