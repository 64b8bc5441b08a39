"""What inference knows about an expression's value.

Every value is one of a few shapes. `UNKNOWN` is the bottom: a rule that
meets it says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from asynclint.library import CallableSpec, ClassSpec
from asynclint.summary import ClassInfo, FunctionInfo


@dataclass(frozen=True, slots=True)
class Unknown:
    """Nothing is known."""


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """A module object (project or external), by dotted name."""

    name: str


@dataclass(frozen=True, slots=True)
class ExternalRef:
    """A name from outside the project that the library model does not know."""

    qualname: str


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A project function; `bound` is set for a method looked up on an instance."""

    function: FunctionInfo
    bound: bool = False


@dataclass(frozen=True, slots=True)
class ClassRef:
    """A project class object."""

    klass: ClassInfo


@dataclass(frozen=True, slots=True)
class LibraryFunction:
    """A library callable the model knows."""

    spec: CallableSpec

    def __hash__(self) -> int:
        # The spec holds mappings; its qualified name identifies it.
        return hash(self.spec.qualname)


@dataclass(frozen=True, slots=True)
class LibraryClass:
    """A library class the model knows."""

    spec: ClassSpec

    def __hash__(self) -> int:
        # The spec holds mappings; its qualified name identifies it.
        return hash(self.spec.qualname)


@dataclass(frozen=True, slots=True)
class Instance:
    """An instance of a project class: of exactly that class when made by
    calling it, else (`self`, an annotation) perhaps of a subclass."""

    klass: ClassInfo
    exact: bool = False


@dataclass(frozen=True, slots=True)
class LibraryInstance:
    """An instance of a library class the model knows."""

    spec: ClassSpec

    def __hash__(self) -> int:
        # The spec holds mappings; its qualified name identifies it.
        return hash(self.spec.qualname)


@dataclass(frozen=True, slots=True)
class DeclaredInstance:
    """An instance of a class known only by methods the user declared."""

    qualname: str


@dataclass(frozen=True, slots=True)
class Coroutine:
    """A coroutine object that still has to be awaited; `origin` names its callee."""

    result: Value
    origin: str


@dataclass(frozen=True, slots=True)
class Awaitable:
    """An awaitable that need not be awaited (a Task, a Future)."""

    result: Value
    origin: str


@dataclass(frozen=True, slots=True)
class ContextManager:
    """What a `@contextmanager` / `@asynccontextmanager` factory returns;
    `factory` is the generator function, when it is a project one."""

    is_async: bool
    origin: str
    factory: FunctionInfo | None = None


@dataclass(frozen=True, slots=True)
class AsyncGenerator:
    """An async generator object: iterate it with `async for`, never await it."""

    origin: str


@dataclass(frozen=True, slots=True)
class Plain:
    """A value known not to be awaitable, a context manager or callable of
    interest: None, a literal, a container, a sync generator. `what` says
    which, for messages; `items` holds the values of a tuple whose length
    is known (`tuple[A, B]`), which unpacking hands out one by one."""

    what: str
    items: tuple[Value, ...] | None = None


@dataclass(frozen=True, slots=True)
class CallableOf:
    """A callable known only by what calling it returns (a `Callable[...]`)."""

    result: Value
    origin: str


@dataclass(frozen=True, slots=True)
class NoReturn:
    """The result of a call that always raises."""


Value = (
    Unknown
    | ModuleRef
    | ExternalRef
    | FunctionRef
    | ClassRef
    | LibraryFunction
    | LibraryClass
    | Instance
    | LibraryInstance
    | DeclaredInstance
    | Coroutine
    | Awaitable
    | ContextManager
    | AsyncGenerator
    | Plain
    | CallableOf
    | NoReturn
)

UNKNOWN = Unknown()
NONE = Plain("None")


def join(values: list[Value]) -> Value:
    """One value standing for several possible ones (None is dropped)."""
    if any(v == UNKNOWN for v in values):
        return UNKNOWN
    distinct = [v for v in dict.fromkeys(values) if v != NONE]
    if not distinct:
        return NONE
    if len(distinct) == 1:
        return distinct[0]
    if all(isinstance(v, Instance) for v in distinct):
        classes = {v.klass for v in distinct if isinstance(v, Instance)}
        if len(classes) == 1:
            return Instance(classes.pop())  # made here, declared there
    if all(isinstance(v, (Coroutine, Awaitable)) for v in distinct):
        return Awaitable(UNKNOWN, "several returns")
    if any(isinstance(v, (Coroutine, Awaitable, NoReturn)) for v in distinct):
        return UNKNOWN
    if all(isinstance(v, Plain) for v in distinct):
        return Plain("value")
    return UNKNOWN


def qualname_of_value(value: Value) -> str | None:
    """The qualified name of a reference to a module, class or callable."""
    if isinstance(value, ExternalRef):
        return value.qualname
    if isinstance(value, ModuleRef):
        return value.name
    if isinstance(value, LibraryFunction):
        return value.spec.qualname
    if isinstance(value, LibraryClass):
        return value.spec.qualname
    if isinstance(value, FunctionRef):
        return value.function.qualname
    if isinstance(value, ClassRef):
        return value.klass.qualname
    return None
