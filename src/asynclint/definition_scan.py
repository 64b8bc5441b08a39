"""Which project files define a method name as `def` or as `async def`.

A text scan over every module importable from the import roots, done once
per process. It answers a spelling-level question on purpose: its only
user (overrides.py) narrows the files it must summarise with it, and then
resolves their classes through inference, so the scan never decides a
report by itself.

With a store (a file in the cache directory), a file whose mtime and size
are unchanged is not read again: a pre-commit run on a few edited files
would otherwise spend most of its time here.
"""

from __future__ import annotations

import os
import pickle
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.index import module_directory

# An indented `def` or `async def` (a method, or a nested function). Anchored
# on the line break rather than `^` with MULTILINE: a third faster on large
# trees, and a first line is never indented.
_DEFINITION = re.compile(rb"\n[ \t]+(async[ \t]+)?def[ \t]+(\w+)")
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})

Definer = tuple[str, bool]  # (name, is_async)
# A file as last scanned: mtime_ns, size, and its definitions, one per line,
# each "a name" or "d name" (a string unpickles far faster than tuples).
Entry = tuple[int, int, str]
# A directory as last listed: its mtime_ns, its `.py` files and the
# directories in it that the walk may enter, by name. A directory whose
# mtime is unchanged holds the same names.
Listing = tuple[int, tuple[str, ...], tuple[str, ...]]
# A listing is kept only once its directory is this much older than the
# walk: a name added within the same mtime tick would go unseen otherwise.
_SETTLED_NS = 2_000_000_000
_UNSAVED_CHANGES = 64


@dataclass(frozen=True, slots=True)
class Definitions:
    """The scan of one project: who defines what, and every file's stat."""

    files: dict[Definer, list[str]]
    stats: dict[str, tuple[int, int]]

    def definers(self, name: str, is_async: bool) -> list[str]:
        """The files that define `name` as the given kind, in walk order."""
        return self.files.get((name, is_async), [])

    def stat(self, path: str) -> tuple[int, int] | None:
        """(mtime_ns, size) of a project file as the scan saw it, else read
        now (a dependency outside the walked tree); None if unreadable."""
        known = self.stats.get(path)
        if known is not None:
            return known
        try:
            info = os.stat(path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size


@dataclass(slots=True)
class _Store:
    """What a scan keeps for the next one."""

    listings: dict[str, Listing] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    files: dict[Definer, list[str]] = field(default_factory=dict)


# (roots, store) -> the scan; the project's text for the whole run.
_SCANS: dict[tuple[tuple[Path, ...], Path | None], Definitions] = {}


def definitions(roots: tuple[Path, ...], store: Path | None) -> Definitions:
    """The scan of the modules under `roots`, kept in `store` if given."""
    known = _SCANS.get((roots, store))
    if known is None:
        known = _SCANS[roots, store] = _scan(roots, store)
    return known


def forget() -> None:
    """Drop the scans this process made (a new run: the tree may differ)."""
    _SCANS.clear()


def _scan(roots: tuple[Path, ...], store: Path | None) -> Definitions:
    kept = _load(store)
    walk = _Walk(kept.listings, time.time_ns() - _SETTLED_NS)
    paths = walk.project_files(roots)
    entries: dict[str, Entry] = {}
    stats: dict[str, tuple[int, int]] = {}
    changed: list[str] = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        stat = (info.st_mtime_ns, info.st_size)
        entry = kept.entries.get(path)
        if entry is None or entry[:2] != stat:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            found = {
                f"{'a' if m[1] else 'd'} {m[2].decode()}"
                for m in _DEFINITION.finditer(data)
            }
            entry = (*stat, "\n".join(sorted(found)))
            changed.append(path)
        entries[path] = entry
        stats[path] = stat
    gone = [path for path in kept.entries if path not in entries]
    files = kept.files
    if changed or gone:
        files = _patched(kept, entries, changed, gone, paths)
    # A few changed files are cheaper to read again next time than the
    # whole store is to write (a pre-commit run changes five).
    worth_saving = len(changed) + len(gone) > _UNSAVED_CHANGES
    if store is not None and (worth_saving or walk.listings != kept.listings):
        _save(store, _Store(walk.listings, entries, files))
    return Definitions(files, stats)


def _definers(entry: Entry) -> list[Definer]:
    return [(line[2:], line[0] == "a") for line in entry[2].split("\n") if line]


def _patched(
    kept: _Store,
    entries: dict[str, Entry],
    changed: list[str],
    gone: list[str],
    order: list[str],
) -> dict[Definer, list[str]]:
    """The kept definer lists with the changed and vanished files'
    definitions taken out and the changed files' put in, in walk order."""
    files = kept.files
    affected: set[Definer] = set()
    for path in [*changed, *gone]:
        old = kept.entries.get(path)
        for definer in _definers(old) if old else ():
            holders = files.get(definer)
            if holders is not None and path in holders:
                holders.remove(path)
                affected.add(definer)
    for path in changed:
        for definer in _definers(entries[path]):
            files.setdefault(definer, []).append(path)
            affected.add(definer)
    position = {path: number for number, path in enumerate(order)}
    for definer in affected:
        holders = files[definer]
        if holders:
            holders.sort(key=position.__getitem__)
        else:
            del files[definer]
    return files


def _load(path: Path | None) -> _Store:
    if path is None:
        return _Store()
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or broken store is only a miss
        return _Store()
    return data if isinstance(data, _Store) else _Store()


def _save(path: Path, store: _Store) -> None:
    from asynclint.writing import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(
            path, pickle.dumps(store, protocol=pickle.HIGHEST_PROTOCOL), durable=False
        )
    except OSError:
        pass  # the next run scans again


class _Walk:
    """The modules importable from the roots: their own files and packages
    (a directory without `__init__.py` is another project, or not code,
    unless it sits right inside a package: see index.py). Plain strings, in
    a fixed order. A directory whose mtime matches its kept listing is not
    listed again."""

    def __init__(self, kept: dict[str, Listing], settled_before: int) -> None:
        self.kept = kept
        self.settled_before = settled_before
        # What this walk listed, and of that what is settled enough to keep.
        self._listed: dict[str, Listing] = {}
        self.listings: dict[str, Listing] = {}

    def project_files(self, roots: tuple[Path, ...]) -> list[str]:
        seen: set[str] = set()
        files: list[str] = []
        for root in roots:
            self._walk(str(root), False, seen, files)
        return files

    def _walk(
        self, directory: str, in_package: bool, seen: set[str], files: list[str]
    ) -> None:
        listing = self._listing(directory)
        if listing is None:
            return
        _, names, subdirs = listing
        for name in names:
            path = f"{directory}{os.sep}{name}"
            if path not in seen:
                seen.add(path)
                files.append(path)
        for name in subdirs:
            path = f"{directory}{os.sep}{name}"
            inner = self._listing(path)
            if inner is None:
                continue
            package = "__init__.py" in inner[1]
            if module_directory(name, package, in_package):
                self._walk(path, package, seen, files)

    def _listing(self, directory: str) -> Listing | None:
        known = self._listed.get(directory)
        if known is not None:
            return known
        try:
            mtime = os.stat(directory).st_mtime_ns
        except OSError:
            return None
        kept = self.kept.get(directory)
        if kept is not None and kept[0] == mtime:
            listing = kept
        else:
            try:
                with os.scandir(directory) as scan:
                    entries = list(scan)
            except OSError:
                return None
            names = []
            subdirs = []
            for entry in entries:
                name = entry.name
                if name.endswith(".py"):
                    if entry.is_file():
                        names.append(name)
                elif (
                    not name.startswith(".")
                    and name not in _SKIPPED_DIRS
                    and entry.is_dir(follow_symlinks=False)
                ):
                    subdirs.append(name)
            listing = (mtime, tuple(sorted(names)), tuple(sorted(subdirs)))
        self._listed[directory] = listing
        if mtime < self.settled_before:
            self.listings[directory] = listing
        return listing
