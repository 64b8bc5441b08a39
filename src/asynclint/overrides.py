"""Whether a project subclass redefines a method as the other kind.

`await self.fetch()` in a base class whose `fetch` is a plain `def` is fine
when the object is a subclass instance with `async def fetch`. Finding the
subclasses means looking at the whole project: a text scan, done once per
process, lists the files that define a function of a given name as `def`
or as `async def`; only those files are summarised, and their classes are
resolved through inference. The scan only ever makes a method unknown, so
its spelling-level view cannot cause a report.
"""

from __future__ import annotations

import ast
import os
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.index import module_directory
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.values import UNKNOWN, ClassRef

if TYPE_CHECKING:
    from asynclint.infer import Inference

# An indented `def` or `async def` (a method, or a nested function). Anchored
# on the line break rather than `^` with MULTILINE: a third faster on large
# trees, and a first line is never indented.
_DEFINITION = re.compile(rb"\n[ \t]+(async[ \t]+)?def[ \t]+(\w+)")
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})

# (roots) -> {(name, is_async): files}; the project's text for the whole run.
_DEFINITIONS: dict[tuple[Path, ...], dict[tuple[str, bool], list[str]]] = {}


def overridden_as_other_kind(inference: Inference, method: FunctionInfo) -> bool:
    """True when a class that may derive from the method's class defines
    the same name as the other kind."""
    owner = method.owner
    if owner is None:
        return False
    definitions = _definitions(tuple(inference.index.roots))
    files = definitions.get((method.name, not method.is_async), [])
    # The answer also depends on the files that define the name as the same
    # kind: one of them may turn into the other kind (`def fetch` becoming
    # `async def fetch` in a subclass), so they are dependencies for the
    # cache too, unless the name is so common that listing them would
    # swamp it. Known gap: a new file that adds such a subclass does not
    # invalidate cached answers; `--no-cache` (or any edit of the base
    # class's file) does.
    same_kind = definitions.get((method.name, method.is_async), [])
    if len(same_kind) <= _MAX_SAME_KIND_DEPENDENCIES:
        inference.touched.update(Path(path) for path in same_kind)
    for path in files:
        summary = inference.index.summary_for_path(Path(path))
        if summary is None:
            continue
        for klass in summary.classes:
            redefined = klass.methods.get(method.name, [])
            if klass is owner or not any(
                m.is_async != method.is_async for m in redefined
            ):
                continue
            inference.touched.add(summary.path)
            if _derives_from(inference, klass, owner):
                return True
    return False


def _derives_from(
    inference: Inference, klass: ClassInfo, base: ClassInfo, depth: int = 0
) -> bool:
    """Whether `klass` may derive from `base`; a base expression that cannot
    be resolved counts when it is spelled with the base's name."""
    if klass is base:
        return True
    if depth > 20:
        return False
    for expr in klass.node.bases:
        value = inference.value(expr, klass.module)
        if isinstance(value, ClassRef):
            if _derives_from(inference, value.klass, base, depth + 1):
                return True
        elif value == UNKNOWN:
            spelled = expr.attr if isinstance(expr, ast.Attribute) else None
            if isinstance(expr, ast.Name):
                spelled = expr.id
            if spelled == base.name:
                return True
    return False


def keep_scans_in(path: Path | None) -> None:
    """Keep each file's scan in `path` between runs (None: do not).

    The scan reads every file of the project; a pre-commit run on a few
    edited files would spend most of its time there. With a store, a file
    whose mtime and size are unchanged is not read again.
    """
    global _STORE
    _STORE = path


_STORE: Path | None = None
_MAX_SAME_KIND_DEPENDENCIES = 64
# path -> (mtime_ns, size, the (name, is_async) pairs it defines)
Scan = dict[str, tuple[int, int, tuple[tuple[str, bool], ...]]]


def _definitions(roots: tuple[Path, ...]) -> dict[tuple[str, bool], list[str]]:
    known = _DEFINITIONS.get(roots)
    if known is None:
        known = {}
        stored = _load_scan(_STORE)
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
            for name in entry[2]:
                known.setdefault(name, []).append(key)
        if _STORE is not None and any(stored.get(k) != v for k, v in scan.items()):
            _save_scan(_STORE, {**stored, **scan})
        _DEFINITIONS[roots] = known
    return known


def _load_scan(path: Path | None) -> Scan:
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or broken store is only a miss
        return {}
    return data if isinstance(data, dict) else {}


def _save_scan(path: Path, scan: Scan) -> None:
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
