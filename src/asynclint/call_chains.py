"""The search for a chain of calls from a function down to a blocking one.

Each function (with what its call binds to its parameters: a key) makes
calls in source order; a call either blocks itself, does not, or runs
another key's function. A key blocks when one of its calls does, directly
or through the function it runs, to any depth. The search walks the calls
depth first with its own stack, not Python's, so a chain thousands of
functions long costs no recursion; it stops at a key's first blocking
call, and remembers every answer it can trust.

Helpers may call each other in a cycle. A key still being searched reads
as "does not block" to a call that reaches it again; an answer that relied
on such a read is only provisional. The search tells which ones did the
way Tarjan's algorithm finds strongly connected components: when the
first key of a component finishes, either it found no blocking call, and
then no key of the component can reach one (each one it left was searched
to the end), or it did, and the provisional "does not block" answers of
the component are dropped, to be searched again when asked. A chain found
is always a real path without repeated keys, and whether a key blocks
never depends on the order in which keys are asked about; which of several
blocking paths a key inside a cycle shows can.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

Chain = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Follow:
    """A call that runs the function of another key, named `name`."""

    name: str
    key: Hashable


# What one call does: blocks (the chain below it), does not (None), or
# runs another key's function.
Step = Chain | Follow | None


# What a key found: the chain of its blocking call, or the call that runs
# another key found blocking. Links, not whole chains, are remembered, so
# that a chain n keys long costs n entries, not n * n / 2.
Found = Chain | Follow


@dataclass(slots=True)
class _Frame:
    """A key under search: its calls still to read, and what it found."""

    key: Hashable
    steps: Iterator[Step]
    found: Found | None = None
    waiting: Follow | None = None


@dataclass(slots=True)
class _Search:
    """The bookkeeping of one search from one key."""

    steps: Callable[[Hashable], Iterator[Step]]
    entered: int = 0
    order: dict[Hashable, int] = field(default_factory=dict)
    low: dict[Hashable, int] = field(default_factory=dict)
    open: list[Hashable] = field(default_factory=list)
    opened: set[Hashable] = field(default_factory=set)
    frames: list[_Frame] = field(default_factory=list)


class ChainSearch:
    """Memoised answers to "which chain of calls leads from a key to a
    blocking call?", for keys that one `steps` function expands.

    `steps` is handed to each question rather than kept: it is usually a
    bound method of the object that keeps this one, and keeping it would
    make a reference cycle (a check runs with the cyclic collector off).
    """

    def __init__(self) -> None:
        self._final: dict[Hashable, Found | None] = {}

    def chain(
        self, key: Hashable, steps: Callable[[Hashable], Iterator[Step]]
    ) -> Chain | None:
        """The chain below `key`'s function, or None if it does not block;
        `steps(key)` tells what each call of a key's function does."""
        if key not in self._final:
            self._search(key, steps)
        found = self._final[key]
        names: list[str] = []
        while isinstance(found, Follow):
            names.append(found.name)
            found = self._final[found.key]
        return None if found is None else (*names, *found)

    def _search(
        self, key: Hashable, steps: Callable[[Hashable], Iterator[Step]]
    ) -> None:
        search = _Search(steps)
        self._enter(search, key)
        blocks = False
        while search.frames:
            frame = search.frames[-1]
            if frame.waiting is not None:
                below = frame.waiting
                frame.waiting = None
                search.low[frame.key] = min(
                    search.low[frame.key], search.low[below.key]
                )
                if blocks:
                    frame.found = below
            if frame.found is None and self._advance(search, frame):
                continue
            blocks = self._leave(search, frame)

    def _advance(self, search: _Search, frame: _Frame) -> bool:
        """Read the frame's next call; True when it opened another frame."""
        for step in frame.steps:
            if step is None:
                continue
            if not isinstance(step, Follow):
                frame.found = step
                return False
            if step.key in self._final:
                if self._final[step.key] is not None:
                    frame.found = step
                    return False
            elif step.key in search.opened:
                # Still under search: "does not block" for now.
                search.low[frame.key] = min(
                    search.low[frame.key], search.order[step.key]
                )
            else:
                frame.waiting = step
                self._enter(search, step.key)
                return True
        return False

    def _enter(self, search: _Search, key: Hashable) -> None:
        search.order[key] = search.low[key] = search.entered
        search.entered += 1
        search.open.append(key)
        search.opened.add(key)
        search.frames.append(_Frame(key, search.steps(key)))

    def _leave(self, search: _Search, frame: _Frame) -> bool:
        """Finish a frame, settling its component if it is the first key
        of one; whether it blocks."""
        search.frames.pop()
        key = frame.key
        if frame.found is not None:
            self._final[key] = frame.found  # a real path, whatever follows
        if search.low[key] != search.order[key]:
            return frame.found is not None
        while True:
            member = search.open.pop()
            search.opened.discard(member)
            if member == key:
                break
            if member in self._final:
                continue
            if frame.found is None:
                self._final[member] = None
            else:
                # Provisional: searched again if asked or met again.
                del search.order[member], search.low[member]
        self._final.setdefault(key, None)
        return frame.found is not None
