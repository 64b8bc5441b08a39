"""The conservative closeness test behind "did you mean" for marker names."""

from __future__ import annotations

from collections.abc import Iterable

# pytest fails collection on these three with a hint of its own; the rename
# can never change a working test.
PARAMETRIZE_MISSPELLINGS = frozenset({"parameterize", "parametrise", "parameterise"})

_SHORTEST = 5


def is_close(candidate: str, known: str) -> bool:
    """Whether `candidate` is one slip away from `known`.

    A slip is one inserted, deleted, replaced or swapped character, or a
    difference only in case, underscores and hyphens. Short names are never
    close: `db` and `dp` are as likely two markers as one typo.
    """
    if candidate == known:
        return False
    if _squashed(candidate) == _squashed(known):
        return True
    if min(len(candidate), len(known)) < _SHORTEST:
        return False
    return _distance(candidate, known) <= 1


def closest(name: str, known: Iterable[str]) -> str | None:
    """The single known name `name` is close to; None if none or several."""
    if name in PARAMETRIZE_MISSPELLINGS:
        return "parametrize"
    matches = sorted({k for k in known if is_close(name, k)})
    return matches[0] if len(matches) == 1 else None


def _squashed(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _distance(left: str, right: str) -> int:
    """Optimal string alignment distance (edits with adjacent swaps)."""
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, 1):
        current = [i] + [0] * len(right)
        for j, b in enumerate(right, 1):
            cost = 0 if a == b else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            swapped = i > 1 and j > 1 and a == right[j - 2] and left[i - 2] == b
            if swapped:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
