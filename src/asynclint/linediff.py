"""Which lines a rewrite changed: a line diff that stays fast on big files.

The fix loop compares a file before and after a round of fixes to learn
which lines each fix wrote. `difflib.SequenceMatcher` does that in time
that grows with the square of the file when lines repeat (blank lines, the
same call in many functions), so a file with hundreds of fixes took minutes.

This diff first pairs the lines that occur exactly once on each side, in an
order both sides agree on; between two such anchors it pairs equal leading
and trailing lines, and looks for anchors again. Only a stretch with no
anchor left is handed to `difflib`, and for the small local edits fixes make
such stretches are a few lines long.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Below this many lines per side, a stretch goes to `difflib` as it is.
_SMALL = 8


@dataclass(frozen=True, slots=True)
class ChangedBlock:
    """Lines `old[old_start:old_end]` became `new[new_start:new_end]` (0-based)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


def changed_blocks(old: Sequence[str], new: Sequence[str]) -> list[ChangedBlock]:
    """The stretches where `old` and `new` differ, in order.

    Every line outside them is paired with an equal line on the other side.
    """
    blocks: list[ChangedBlock] = []
    old_at = new_at = 0
    for old_line, new_line in [*_pairs(old, new), (len(old), len(new))]:
        if old_line > old_at or new_line > new_at:
            blocks.append(ChangedBlock(old_at, old_line, new_at, new_line))
        old_at, new_at = old_line + 1, new_line + 1
    return blocks


def _pairs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with `old[i] == new[j]`, increasing on both sides."""
    found: list[tuple[int, int]] = []
    # Stretches still to pair: (old_start, old_end, new_start, new_end).
    pending = [(0, len(old), 0, len(new))]
    while pending:
        old_lo, old_hi, new_lo, new_hi = pending.pop()
        while old_lo < old_hi and new_lo < new_hi and old[old_lo] == new[new_lo]:
            found.append((old_lo, new_lo))
            old_lo, new_lo = old_lo + 1, new_lo + 1
        while old_lo < old_hi and new_lo < new_hi:
            if old[old_hi - 1] != new[new_hi - 1]:
                break
            old_hi, new_hi = old_hi - 1, new_hi - 1
            found.append((old_hi, new_hi))
        if old_lo == old_hi or new_lo == new_hi:
            continue
        small = old_hi - old_lo <= _SMALL and new_hi - new_lo <= _SMALL
        anchors = [] if small else _anchors(old, new, old_lo, old_hi, new_lo, new_hi)
        if not anchors:
            found.extend(_difflib_pairs(old, new, old_lo, old_hi, new_lo, new_hi))
            continue
        found.extend(anchors)
        edges = [(old_lo - 1, new_lo - 1), *anchors, (old_hi, new_hi)]
        for (i, j), (next_i, next_j) in itertools.pairwise(edges):
            pending.append((i + 1, next_i, j + 1, next_j))
    found.sort()
    return found


def _anchors(
    old: Sequence[str],
    new: Sequence[str],
    old_lo: int,
    old_hi: int,
    new_lo: int,
    new_hi: int,
) -> list[tuple[int, int]]:
    """The longest run of pairs of lines unique on both sides, in order."""
    old_counts = Counter(old[old_lo:old_hi])
    new_counts = Counter(new[new_lo:new_hi])
    where_new = {
        new[j]: j
        for j in range(new_lo, new_hi)
        if new_counts[new[j]] == 1 and old_counts[new[j]] == 1
    }
    candidates = [
        (i, where_new[old[i]]) for i in range(old_lo, old_hi) if old[i] in where_new
    ]
    return _increasing(candidates)


def _increasing(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `candidates` (sorted by the first item)
    whose second items increase too."""
    # Patience sorting: tails[k] ends the best run of length k + 1 so far.
    tails: list[int] = []
    tail_seconds: list[int] = []
    before: list[int] = []
    for index, (_, second) in enumerate(candidates):
        length = bisect.bisect_left(tail_seconds, second)
        before.append(tails[length - 1] if length else -1)
        if length == len(tails):
            tails.append(index)
            tail_seconds.append(second)
        else:
            tails[length] = index
            tail_seconds[length] = second
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(candidates[index])
        index = before[index]
    run.reverse()
    return run


def _difflib_pairs(
    old: Sequence[str],
    new: Sequence[str],
    old_lo: int,
    old_hi: int,
    new_lo: int,
    new_hi: int,
) -> list[tuple[int, int]]:
    matcher = difflib.SequenceMatcher(
        None, old[old_lo:old_hi], new[new_lo:new_hi], autojunk=False
    )
    return [
        (old_lo + i + k, new_lo + j + k)
        for i, j, size in matcher.get_matching_blocks()
        for k in range(size)
    ]
