"""The guard that stops inference on a cycle or past a depth."""

from __future__ import annotations

# How many evaluations may be under way at once before the deepest one
# answers "unknown".
MAX_DEPTH = 40


class Guard:
    """Marks a key as under evaluation for the extent of a `with` block.

    Its value is False when the key is already being evaluated (a cycle)
    or too many are. A small class rather than `contextlib.contextmanager`:
    it is entered hundreds of thousands of times per run and the generator
    machinery costs several times more.
    """

    __slots__ = ("active", "entered", "key")

    def __init__(self, active: set[tuple[int, str]], key: tuple[int, str]) -> None:
        self.active = active
        self.key = key
        self.entered = False

    def __enter__(self) -> bool:
        if self.key in self.active or len(self.active) > MAX_DEPTH:
            return False
        self.active.add(self.key)
        self.entered = True
        return True

    def __exit__(self, *exc: object) -> None:
        if self.entered:
            self.active.discard(self.key)
