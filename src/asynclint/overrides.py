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
import re
from pathlib import Path
from typing import TYPE_CHECKING

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
_DEFINITIONS: dict[tuple[Path, ...], dict[tuple[str, bool], list[Path]]] = {}


def overridden_as_other_kind(inference: Inference, method: FunctionInfo) -> bool:
    """True when a class that may derive from the method's class defines
    the same name as the other kind."""
    owner = method.owner
    if owner is None:
        return False
    files = _definitions(tuple(inference.index.roots)).get(
        (method.name, not method.is_async), []
    )
    for path in files:
        summary = inference.index.summary_for_path(path)
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


def _definitions(roots: tuple[Path, ...]) -> dict[tuple[str, bool], list[Path]]:
    known = _DEFINITIONS.get(roots)
    if known is None:
        known = {}
        for path in _project_files(roots):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            names = {(m[2].decode(), bool(m[1])) for m in _DEFINITION.finditer(data)}
            for key in names:
                known.setdefault(key, []).append(path)
        _DEFINITIONS[roots] = known
    return known


def _project_files(roots: tuple[Path, ...]) -> list[Path]:
    """The modules importable from the roots: their own files and packages
    (a directory without `__init__.py` is another project, or not code)."""
    seen: set[Path] = set()
    files: list[Path] = []
    for root in roots:
        for directory, subdirs, names in os.walk(root):
            subdirs[:] = sorted(
                d
                for d in subdirs
                if not d.startswith(".")
                and d not in _SKIPPED_DIRS
                and os.path.isfile(os.path.join(directory, d, "__init__.py"))
            )
            for name in sorted(names):
                path = Path(directory, name)
                if name.endswith(".py") and path not in seen:
                    seen.add(path)
                    files.append(path)
    return files
