"""The facts the library model holds about one callable or one class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

KINDS = frozenset({"coroutine", "sync", "blocking", "awaitable"})
CONTEXTS = frozenset({"async", "sync", "both", "none"})
DECORATOR_EFFECTS = frozenset({"async-cm-factory", "sync-cm-factory"})


class LibraryError(Exception):
    """A malformed library data file or user declaration."""


@dataclass(frozen=True, slots=True)
class CallableSpec:
    """What calling a library function or method gives and costs.

    `kind` is one of `KINDS`. `returns` names the class of the result (for a
    coroutine, of the awaited result); the string "None" means it returns
    None, Python's None means unknown. A fixed-length tuple result is spelled
    `tuple[A, B]` (see `tuple_items`). `offloads` is the index of the
    positional argument that is a callable run off the event loop.
    `iterating_blocks` says that iterating the result waits although the
    call returns at once (a generator reading directories, `as_completed`).
    `wait_flag` names the parameter that makes a blocking call return at
    once when given a literal False (`Executor.shutdown(wait=False)`).
    `parameters` names the leading positional parameters (after `self` for
    a method) that a call can decide this way, in order, so that
    `q.get(False)` is read as `q.get(block=False)`. `defaults` holds the
    default of such a parameter where it is one that returns at once
    (redis `PubSub.get_message(timeout=0.0)`): a call that leaves the
    parameter out does not wait.
    """

    qualname: str
    kind: str
    returns: str | None
    offloads: int | None
    iterating_blocks: bool = False
    wait_flag: str | None = None
    parameters: tuple[str, ...] = ()
    defaults: tuple[tuple[str, bool | int | float], ...] = ()


@dataclass(frozen=True, slots=True)
class ClassSpec:
    """What instances of a library class support.

    `context` is one of `CONTEXTS`; `enters` names the class bound by
    `with x as y` or `async with x as y` (None: unknown). `awaits` names the
    class produced by `await instance` (None: unknown or not awaitable).
    `wraps_coroutine` says that an instance holds the coroutine of the call
    that made it and runs it only when awaited or entered: dropped, it
    never runs.
    `methods` holds the class's own methods only; `LibraryModel.method`
    searches the bases.
    """

    qualname: str
    bases: tuple[str, ...]
    awaitable: bool
    context: str
    enters: str | None
    async_iterable: bool
    iterable: bool
    methods: Mapping[str, CallableSpec]
    attributes: Mapping[str, str]
    awaits: str | None = None
    wraps_coroutine: bool = False


def tuple_items(returns: str | None) -> tuple[str, ...] | None:
    """The element classes of a `tuple[A, B]` result, or None for any other."""
    if returns is None or not returns.startswith("tuple[") or returns[-1] != "]":
        return None
    inner = returns[len("tuple[") : -1]
    return tuple(item.strip() for item in inner.split(","))
