"""What a function's decorators make of it, as far as they can be seen.

Known decorators either leave the call as the body makes it (`functools.wraps`,
`staticmethod`, `pytest.fixture`...), turn it into a property, or turn a
generator into a context manager factory (`@contextmanager`,
`@asynccontextmanager`); any other decorator makes the function unknown.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asynclint.summary import FunctionInfo
from asynclint.values import (
    UNKNOWN,
    ContextManager,
    FunctionRef,
    Value,
    qualname_of_value,
)

if TYPE_CHECKING:
    from asynclint.infer import Inference

# Decorators that leave a function's call behaviour as written.
_TRANSPARENT_DECORATORS = frozenset(
    {
        "functools.wraps",
        "functools.cache",
        "functools.lru_cache",
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
        "typing.final",
        "typing_extensions.final",
        "builtins.staticmethod",
        "builtins.classmethod",
        "typing.no_type_check",
        "pytest.fixture",
    }
)
_PROPERTY_DECORATORS = frozenset({"builtins.property", "functools.cached_property"})
_ASYNC_CM_DECORATOR = "contextlib.asynccontextmanager"
_SYNC_CM_DECORATOR = "contextlib.contextmanager"
_ACCESSORS = ("setter", "getter", "deleter")


def function_object(inference: Inference, function: FunctionInfo) -> Value:
    """What the name of a `def` holds, given its decorators."""
    for decorator in function.node.decorator_list:
        if effect(inference, decorator, function) == "unknown":
            return UNKNOWN
    return FunctionRef(function)


def effect(inference: Inference, decorator: ast.expr, function: FunctionInfo) -> str:
    """ "transparent", "property", "async-cm", "sync-cm" or "unknown"."""
    scope = function.parent if function.parent is not None else function.module
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = qualname_of_value(inference.value(target, scope))
    if name in _TRANSPARENT_DECORATORS:
        return "transparent"
    if name in _PROPERTY_DECORATORS:
        return "property"
    if name == _ASYNC_CM_DECORATOR:
        return "async-cm"
    if name == _SYNC_CM_DECORATOR:
        return "sync-cm"
    if isinstance(decorator, ast.Attribute) and decorator.attr in _ACCESSORS:
        return "property"
    if isinstance(decorator, ast.Call):
        made = inference.value(decorator, scope)
        if isinstance(made, ContextManager):
            # An @asynccontextmanager result used as a decorator wraps the
            # function and keeps its nature (AsyncContextDecorator).
            return "transparent"
    return "unknown"


def decorated_result(inference: Inference, function: FunctionInfo) -> Value | None:
    """What the decorators make of a call's result: the context manager of
    `@contextmanager` or `@asynccontextmanager` on a generator of the
    matching kind, unknown for any decorator not seen through, and None
    when every one leaves the result as the body makes it."""
    for decorator in function.node.decorator_list:
        made = effect(inference, decorator, function)
        if made in ("async-cm", "sync-cm"):
            is_async = made == "async-cm"
            kind = "async-generator" if is_async else "generator"
            if function.kind != kind:
                return UNKNOWN
            return ContextManager(is_async, function.qualname, function)
        if made not in ("transparent", "property"):
            return UNKNOWN
    return None
