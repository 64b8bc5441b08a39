"""Calls of blocking library callables that return at once.

`timeout=0`, `block=False` or `shutdown(wait=False)` turn a call that
would wait into one that does not; so does a resolver told not to look
names up, and a method of a socket made non-blocking. The literal may be
written at the call or reach it through a parameter of a project function
(`close(wait=False)` whose body calls `shutdown(wait=wait)`): the bindings
of `call_literals` carry it there.
"""

from __future__ import annotations

import ast

from asynclint.call_literals import (
    Bindings,
    Literal,
    argument_known,
    is_parameter,
    value_in,
)
from asynclint.infer import Inference
from asynclint.library import CallableSpec
from asynclint.summary import FunctionInfo
from asynclint.values import LibraryInstance, qualname_of_value

# A flag that makes a resolver call answer from the text of the address alone.
_NO_LOOKUP_FLAGS = frozenset(
    {"socket.AI_NUMERICHOST", "socket.AddressInfo.AI_NUMERICHOST"}
)
_SOCKET = "socket.socket."
# Methods that switch a socket to non-blocking mode when given False or 0.
_MODE_SWITCHES = frozenset({"socket.socket.setblocking", "socket.socket.settimeout"})
_NUMBERS = frozenset({"bool", "int", "float"})


def waits_no_time(
    inference: Inference,
    call: ast.Call,
    function: FunctionInfo,
    spec: CallableSpec,
    known: Bindings,
) -> bool:
    """Whether a call of the blocking library callable `spec`, written in
    `function`, returns at once: `timeout=0`, `block=False` or
    `blocking=False`, the spec's wait flag given False (all as literals, or
    parameters of `function` that `known` binds so), a resolver told not to
    look names up (`AI_NUMERICHOST`), or a method of a socket that
    `function` was handed or made non-blocking."""
    for keyword in call.keywords:
        value = argument_known(inference, keyword.value, function, known)
        if keyword.arg == "timeout" and _is_zero(value):
            return True
        if keyword.arg in ("block", "blocking") and _is_false(value):
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
    return _socket_made_non_blocking(inference, call, function, spec)


def _is_zero(value: object) -> bool:
    """False, 0 or 0.0."""
    return isinstance(value, Literal) and value.kind in _NUMBERS and not value.truth


def _is_false(value: object) -> bool:
    return isinstance(value, Literal) and value.kind == "bool" and not value.truth


def _flag_value(
    inference: Inference,
    call: ast.Call,
    function: FunctionInfo,
    flag: tuple[str, int],
    known: Bindings,
) -> bool:
    """Whether the wait flag `(name, position)` is given a literal False."""
    name, position = flag
    for keyword in call.keywords:
        if keyword.arg == name:
            value = argument_known(inference, keyword.value, function, known)
            return _is_false(value)
    # A position counts only on a method called on an instance, where
    # `self` is not among the arguments.
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if receiver is None or len(call.args) <= position:
        return False
    if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return False
    if not isinstance(value_in(inference, receiver, function, known), LibraryInstance):
        return False
    given = argument_known(inference, call.args[position], function, known)
    return _is_false(given)


def _socket_made_non_blocking(
    inference: Inference, call: ast.Call, function: FunctionInfo, spec: CallableSpec
) -> bool:
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not isinstance(receiver, ast.Name):
        return False
    if spec.qualname.startswith(_SOCKET) and is_parameter(
        inference, receiver, function
    ):
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
