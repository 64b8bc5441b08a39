"""Calls of blocking library callables that return at once.

`timeout=0`, `block=False` or `shutdown(wait=False)` turn a call that
would wait into one that does not; so does a resolver told not to look
names up, a method of a socket made non-blocking, and `result()` of a
future already done (`settled_futures`). The literal may be
written at the call or reach it through a parameter of a project function
(`close(wait=False)` whose body calls `shutdown(wait=wait)`): the bindings
of `call_literals` carry it there.
"""

from __future__ import annotations

import ast

from asynclint.call_literals import (
    Bindings,
    Known,
    Literal,
    argument_known,
    value_in,
)
from asynclint.infer import Inference
from asynclint.library import CallableSpec
from asynclint.parameter_reads import is_parameter
from asynclint.settled_futures import known_done
from asynclint.summary import FunctionInfo
from asynclint.values import (
    DeclaredInstance,
    Instance,
    LibraryInstance,
    qualname_of_value,
)

# A flag that makes a resolver call answer from the text of the address alone.
_NO_LOOKUP_FLAGS = frozenset(
    {"socket.AI_NUMERICHOST", "socket.AddressInfo.AI_NUMERICHOST"}
)
_SOCKET = "socket.socket."
# Methods that switch a socket to non-blocking mode when given False or 0.
_MODE_SWITCHES = frozenset({"socket.socket.setblocking", "socket.socket.settimeout"})
_NUMBERS = frozenset({"bool", "int", "float"})
# Receivers whose method is bound: the call's arguments start after `self`.
_INSTANCES = (LibraryInstance, Instance, DeclaredInstance)


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
    parameters of `function` that `known` binds so, by keyword or in the
    position the spec gives, or left to a default the spec gives), a
    resolver told not to look names up (`AI_NUMERICHOST`), a method of a
    socket that `function` was handed or made non-blocking, or `result()`
    of a future known to be done (see `settled_futures`)."""
    if known_done(inference, call, function, spec):
        return True
    for name, value in _argument_values(inference, call, function, spec, known):
        if name == "timeout" and _is_zero(value):
            return True
        if name in ("block", "blocking", spec.wait_flag) and _is_false(value):
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


def _argument_values(
    inference: Inference,
    call: ast.Call,
    function: FunctionInfo,
    spec: CallableSpec,
    known: Bindings,
) -> list[tuple[str, Known | None]]:
    """What `call` passes by keyword, in the positions of the parameters
    the spec names (none after a `*args`), and leaves to the defaults the
    spec gives (none when `*args` or `**kwargs` may fill them)."""
    named = [(k.arg, k.value) for k in call.keywords if k.arg is not None]
    if spec.parameters and _positions_hold(inference, call, function, spec, known):
        for name, argument in zip(spec.parameters, call.args, strict=False):
            if isinstance(argument, ast.Starred):
                break
            named.append((name, argument))
    values = [
        (name, argument_known(inference, argument, function, known))
        for name, argument in named
    ]
    if any(k.arg is None for k in call.keywords) or any(
        isinstance(a, ast.Starred) for a in call.args
    ):
        return values
    given = {k.arg for k in call.keywords}
    for name, default in spec.defaults:
        if name not in given and spec.parameters.index(name) >= len(call.args):
            values.append((name, Literal(type(default).__name__, default)))
    return values


def _positions_hold(
    inference: Inference,
    call: ast.Call,
    function: FunctionInfo,
    spec: CallableSpec,
    known: Bindings,
) -> bool:
    """Whether the positional arguments of `call` start at the spec's first
    parameter: a module-level function, or a method looked up on an
    instance (so that `self` is not among the arguments)."""
    owner = spec.qualname.rpartition(".")[0]
    if inference.library.class_(owner) is None:
        return True
    if not isinstance(call.func, ast.Attribute):
        return False  # a method held by a name: bound or not is not known
    receiver = value_in(inference, call.func.value, function, known)
    return isinstance(receiver, _INSTANCES)


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
