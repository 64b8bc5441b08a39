"""Which protocols a value supports: awaiting, `with`, `async with`.

Each question has three answers: yes, no, or unknown (None). Rules act only
on a definite answer.
"""

from __future__ import annotations

from asynclint.class_patches import is_patched
from asynclint.infer import Inference
from asynclint.summary import ClassInfo
from asynclint.values import (
    AsyncGenerator,
    Awaitable,
    ClassRef,
    ContextManager,
    Coroutine,
    FunctionRef,
    Instance,
    LibraryClass,
    LibraryFunction,
    LibraryInstance,
    ModuleRef,
    Plain,
    Value,
)


def class_has(inference: Inference, klass: ClassInfo, method: str) -> bool | None:
    """Whether instances of a project class have the special method `method`
    (unknown when the module stores special methods on one of the classes
    from outside its statement)."""
    linear = inference.mro(klass)
    if linear is None or any_patched(inference, linear):
        return None
    for entry in linear:
        if isinstance(entry, LibraryClass):
            spec = entry.spec
            if method == "__await__" and spec.awaitable:
                return True
            if method in ("__aenter__", "__aexit__") and spec.context in (
                "async",
                "both",
            ):
                return True
            if method in ("__enter__", "__exit__") and spec.context in ("sync", "both"):
                return True
            continue
        if method in entry.methods or method in entry.class_bindings:
            return True
        if "__getattr__" in entry.methods:
            return None
    return False


def any_patched(inference: Inference, linear: list[ClassInfo | LibraryClass]) -> bool:
    """Whether a project class of an MRO gets special methods from outside."""
    return any(
        isinstance(entry, ClassInfo) and is_patched(inference, entry)
        for entry in linear
    )


def is_awaitable(inference: Inference, value: Value) -> bool | None:
    """Whether `await value` can work."""
    if isinstance(value, (Coroutine, Awaitable)):
        return True
    if isinstance(value, (Plain, ContextManager, AsyncGenerator, ModuleRef)):
        return False
    if isinstance(value, (FunctionRef, ClassRef, LibraryFunction, LibraryClass)):
        return False
    if isinstance(value, Instance):
        return class_has(inference, value.klass, "__await__")
    if isinstance(value, LibraryInstance):
        return value.spec.awaitable
    return None


def context_support(inference: Inference, value: Value) -> str | None:
    """ "async", "sync", "both" or "none": which `with` forms accept `value`."""
    if isinstance(value, ContextManager):
        return "async" if value.is_async else "sync"
    if isinstance(value, LibraryInstance):
        return value.spec.context
    if isinstance(value, Instance):
        # A declaration naming the class wins over its code (README,
        # Configuration), as it does for functions.
        declared = inference.library.declared(value.klass.qualname)
        if declared in ("async-cm", "sync-cm"):
            return "async" if declared == "async-cm" else "sync"
        has_async = class_has(inference, value.klass, "__aenter__")
        has_sync = class_has(inference, value.klass, "__enter__")
        if has_async is None or has_sync is None:
            return None
        if has_async and has_sync:
            return "both"
        return "async" if has_async else "sync" if has_sync else "none"
    if isinstance(value, (Coroutine, AsyncGenerator, Plain)):
        return "none"
    return None


def describe(value: Value) -> str:
    """A short phrase naming a value, for messages."""
    if isinstance(value, Plain):
        if value.what == "None" or value.what.startswith(("the ", "a ", "an ")):
            return value.what
        article = "an" if value.what[:1] in ("a", "e", "i", "o", "u") else "a"
        return f"{article} {value.what}"
    if isinstance(value, Instance):
        return f"a `{value.klass.name}` instance"
    if isinstance(value, LibraryInstance):
        return f"a `{value.spec.qualname}` object"
    if isinstance(value, ContextManager):
        kind = "an async" if value.is_async else "a"
        return f"{kind} context manager"
    if isinstance(value, AsyncGenerator):
        return "an async generator"
    if isinstance(value, (FunctionRef, LibraryFunction)):
        return "a function object (not its result)"
    if isinstance(value, (ClassRef, LibraryClass)):
        return "a class object"
    if isinstance(value, ModuleRef):
        return "a module"
    return "a value"


def callee_name(value: Value) -> str | None:
    """The qualified name of a callee, when it is a known function or class."""
    if isinstance(value, FunctionRef):
        return value.function.qualname
    if isinstance(value, LibraryFunction):
        # A builtin goes by its own name: `len`, not `builtins.len`.
        return value.spec.qualname.removeprefix("builtins.")
    if isinstance(value, ClassRef):
        return value.klass.qualname
    if isinstance(value, LibraryClass):
        return value.spec.qualname.removeprefix("builtins.")
    return None


def makes_async_cm(inference: Inference, callee: Value | None, value: Value) -> bool:
    """True when `value` came from an async context manager factory: an
    `@asynccontextmanager` function, the constructor of an async context
    manager class, or a library call documented to return one."""
    if isinstance(value, ContextManager):
        return value.is_async
    support = context_support(inference, value)
    if support not in ("async", "both"):
        return False
    if isinstance(callee, ClassRef):
        return is_awaitable(inference, value) is False
    if isinstance(callee, (LibraryFunction, LibraryClass)):
        return isinstance(value, LibraryInstance) and not value.spec.awaitable
    return False
