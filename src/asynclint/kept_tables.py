"""Tables a run keeps in the cache directory for later runs (the subclass
answers, the module outlines): a pickled dict, read whole once, and merged
into under a lock, since parallel runs (pre-commit starts several) may
write the same table. A missing or unreadable table is an empty one."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any


def read(path: Path) -> dict[Any, Any]:
    """The table kept at `path`, or an empty one."""
    try:
        with open(path, "rb") as handle:
            table = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or broken table is a miss
        return {}
    return table if isinstance(table, dict) else {}


def merge(path: Path, entries: dict[Any, Any], most: int | None = None) -> None:
    """Add `entries` to the table at `path`, starting afresh when it holds
    more than `most` (stale entries pile up as files change)."""
    from asynclint.writing import locked, write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            table = read(path)
            if most is not None and len(table) > most:
                table = {}
            table.update(entries)
            data = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(path, data, durable=False)
    except OSError:
        pass  # the next run works them out again
