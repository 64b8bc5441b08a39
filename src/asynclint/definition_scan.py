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
from dataclasses import dataclass
from pathlib import Path

from asynclint.index import module_directory

# An indented `def` or `async def` (a method, or a nested function). Anchored
# on the line break rather than `^` with MULTILINE: a third faster on large
# trees, and a first line is never indented.
_DEFINITION = re.compile(rb"\n[ \t]+(async[ \t]+)?def[ \t]+(\w+)")
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})

Definer = tuple[str, bool]  # (name, is_async)
# path -> (mtime_ns, size, the definitions it holds)
Scan = dict[str, tuple[int, int, tuple[Definer, ...]]]


@dataclass(frozen=True, slots=True)
class Definitions:
    """The scan of one project: who defines what, and every file's stat."""

    files: dict[Definer, list[str]]
    stats: dict[str, tuple[int, int]]

    def definers(self, name: str, is_async: bool) -> list[str]:
        """The files that define `name` as the given kind, in a fixed order."""
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


# (roots, store) -> the scan; the project's text for the whole run.
_SCANS: dict[tuple[tuple[Path, ...], Path | None], Definitions] = {}


def definitions(roots: tuple[Path, ...], store: Path | None) -> Definitions:
    """The scan of the modules under `roots`, kept in `store` if given."""
    known = _SCANS.get((roots, store))
    if known is None:
        known = _SCANS[roots, store] = _scan(roots, store)
    return known


def forget() -> None:
    """Drop the scans this process made (tests that edit a tree)."""
    _SCANS.clear()


def _scan(roots: tuple[Path, ...], store: Path | None) -> Definitions:
    files: dict[Definer, list[str]] = {}
    stats: dict[str, tuple[int, int]] = {}
    stored = _load(store)
    scan: Scan = {}
    for key in _project_files(roots):
        try:
            info = os.stat(key)
        except OSError:
            continue
        entry = stored.get(key)
        if entry is None or entry[:2] != (info.st_mtime_ns, info.st_size):
            try:
                with open(key, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            matches = _DEFINITION.finditer(data)
            found = {(m[2].decode(), bool(m[1])) for m in matches}
            entry = (info.st_mtime_ns, info.st_size, tuple(sorted(found)))
        scan[key] = entry
        stats[key] = entry[:2]
        for definer in entry[2]:
            files.setdefault(definer, []).append(key)
    if store is not None and any(stored.get(k) != v for k, v in scan.items()):
        _save(store, {**stored, **scan})
    return Definitions(files, stats)


def _load(path: Path | None) -> Scan:
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or broken store is only a miss
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path, scan: Scan) -> None:
    from asynclint.writing import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps(scan, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # the next run scans again


def _project_files(roots: tuple[Path, ...]) -> list[str]:
    """The modules importable from the roots: their own files and packages
    (a directory without `__init__.py` is another project, or not code,
    unless it sits right inside a package: see index.py). Plain strings, in
    a fixed order: this walks the whole project."""
    seen: set[str] = set()
    files: list[str] = []
    for root in roots:
        _walk(str(root), False, seen, files)
    return files


def _walk(directory: str, in_package: bool, seen: set[str], files: list[str]) -> None:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    subdirs = []
    for entry in entries:
        name = entry.name
        if name.endswith(".py"):
            if entry.path not in seen and entry.is_file():
                seen.add(entry.path)
                files.append(entry.path)
        elif (
            not name.startswith(".")
            and name not in _SKIPPED_DIRS
            and entry.is_dir(follow_symlinks=False)
        ):
            subdirs.append(entry)
    for entry in subdirs:
        if module_directory(entry.path, in_package):
            package = os.path.isfile(os.path.join(entry.path, "__init__.py"))
            _walk(entry.path, package, seen, files)
