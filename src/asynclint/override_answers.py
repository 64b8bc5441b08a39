"""The answers of overrides.py, kept for a run and between runs.

An answer says whether some project subclass redefines a method as the
other kind. It is worked out once per process, and with a store (a file in
the cache directory) once per change of what it was computed from:
summarising every file that defines a common method name is most of what
a pre-commit run on a few edited files would otherwise do.

What an answer was computed from: the files that define the method's name
as `def` or as `async def` (from the text scan), and every file its
inference read. A stored answer is used while each of those files has the
mtime and size it had, or, for a file this run has summarised anyway (a
checked file, just edited), the same structure: what it binds at module
level and how its classes are built, ignoring function bodies. Only an
answer whose inference never looked into a function body (no call's
result, no attribute of an instance) is allowed that second test.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import NamedTuple

from asynclint import kept_tables
from asynclint.analysis import Assumption
from asynclint.definition_scan import Definitions
from asynclint.index import ProjectIndex
from asynclint.summary import Binding, ModuleSummary

# The method's owner (its file, qualified name and line), the method's
# name and whether it is async.
Key = tuple[str, str, int, str, bool]
# (path, mtime_ns, size, structure digest or None)
Source = tuple[str, int, int, str | None]


class Answer(NamedTuple):
    """One worked-out answer and what it depends on (a named tuple: a store
    of thousands unpickles several times faster than dataclasses)."""

    overridden: bool
    # The files defining the name as the other kind, and as the same kind
    # (None when there are too many to track): a file gaining or losing
    # such a definition changes the question.
    other_kind: tuple[str, ...]
    same_kind: tuple[str, ...] | None
    sources: tuple[Source, ...]
    # What a checked file relying on the answer depends on, for the cache.
    touched: tuple[str, ...]


def still_holds(
    answer: Answer,
    other_kind: tuple[str, ...],
    same_kind: tuple[str, ...] | None,
    scan: Definitions,
    index: ProjectIndex,
) -> bool:
    """Whether `answer`, stored by an earlier run, answers this one."""
    if answer.other_kind != other_kind or answer.same_kind != same_kind:
        return False
    for path, mtime, size, digest in answer.sources:
        if scan.stat(path) == (mtime, size):
            continue
        if digest is None:
            return False
        # A file edited since (this run may not have reached it yet) is
        # summarised here: one parse is far cheaper than working the
        # answer out again, which summarises every file it depends on.
        summary = index.loaded(Path(path)) or index.summary_for_path(Path(path))
        if summary is None or structure(index, summary) != digest:
            return False
    return True


def digest(paths: tuple[str, ...]) -> str:
    """A stable digest of a list of files (for `Analysis.assumptions`)."""
    joined = "\0".join(paths).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=12).hexdigest()


def assumptions_hold(assumptions: tuple[Assumption, ...], scan: Definitions) -> bool:
    """Whether the files defining each assumed name as the other kind are
    still the ones they were (no new file adds a subclass)."""
    return all(
        digest(tuple(scan.definers(name, not is_async))) == recorded
        for name, is_async, recorded in assumptions
    )


def sources(
    paths: set[str], scan: Definitions, index: ProjectIndex, structural: bool
) -> tuple[Source, ...]:
    """The stamps of `paths`, with structure digests when `structural`."""
    found = []
    for path in sorted(paths):
        stat = scan.stat(path)
        if stat is None:
            continue
        summary = index.loaded(Path(path)) if structural else None
        digest = structure(index, summary) if summary is not None else None
        found.append((path, *stat, digest))
    return tuple(found)


def structure(index: ProjectIndex, summary: ModuleSummary) -> str:
    """A digest of what `summary` binds at module level and how its classes
    are built (bases, keywords, decorators, methods and their kinds, class
    attributes, attributes assigned on `self`); function bodies are left out
    except for the classes they define and the names they make global. A
    module with star imports or an `__all__` adds its top-level statements
    in order."""
    known = index.structures.get(summary.path)
    if known is not None:
        return known
    digest = hashlib.blake2b(digest_size=16)
    parts: list[str] = [summary.name, str(summary.is_package)]
    _table(summary.bindings, parts)
    if summary.star_imports or "__all__" in summary.bindings:
        # What a star import binds hangs on statement order and on how
        # `__all__` is grown (star_imports.py): every top-level statement
        # but a definition's body counts.
        for stmt in summary.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                parts.append(f"{type(stmt).__name__} {stmt.name}")
            else:
                parts.append(ast.dump(stmt))
    for klass in summary.classes:
        node = klass.node
        parts.append(f"class {klass.qualname}")
        parts.extend(ast.dump(e) for e in [*node.bases, *node.keywords])
        parts.extend(ast.dump(d) for d in node.decorator_list)
        for name, methods in klass.methods.items():
            parts.append(f"def {name} {[m.is_async for m in methods]}")
            for method in methods:
                parts.extend(ast.dump(d) for d in method.node.decorator_list)
        _table(klass.class_bindings, parts)
        for attr, stores in klass.self_assignments.items():
            parts.append(f"self.{attr}")
            parts.extend(ast.dump(value) for value, _ in stores)
    digest.update("\0".join(parts).encode("utf-8", "surrogatepass"))
    text = index.structures[summary.path] = digest.hexdigest()
    return text


def _table(table: dict[str, list[Binding]], parts: list[str]) -> None:
    for name, bindings in table.items():
        parts.append(f"= {name}")
        for binding in bindings:
            parts.append(f"{binding.kind} {binding.module} {binding.member}")
            for expr in (binding.value, binding.annotation):
                if expr is not None:
                    parts.append(ast.dump(expr))
            function = binding.function
            if function is not None:
                parts.append(f"{function.is_async}")
                parts.extend(ast.dump(d) for d in function.node.decorator_list)


# -- the store --------------------------------------------------------------

_directory: Path | None = None
_loaded: dict[Key, Answer] | None = None
# Answers this process worked out since `take_added` last ran.
_added: dict[Key, Answer] = {}
_ANSWERS = "overrides.pickle"
_MAX_KEPT = 200_000


def keep_in(directory: Path | None) -> None:
    """Keep answers in `directory` (None: do not); see overrides.keep_in."""
    global _directory, _loaded
    _directory = directory
    _loaded = None
    _added.clear()


def stored(key: Key) -> Answer | None:
    """The answer an earlier run kept for `key`, unchecked."""
    global _loaded
    if _loaded is None:
        _loaded = {}
        if _directory is not None:
            _loaded = kept_tables.read(_directory / _ANSWERS)
    return _loaded.get(key)


def keeping() -> bool:
    """Whether answers are kept between runs at all."""
    return _directory is not None


def add(key: Key, answer: Answer) -> None:
    _added[key] = answer


def take_added() -> dict[Key, Answer]:
    """The answers worked out since the last call (a worker hands them to
    the main process, which saves them all once)."""
    added = dict(_added)
    _added.clear()
    return added


def save(answers: dict[Key, Answer]) -> None:
    """Merge `answers` into the store, under a lock (parallel runs)."""
    if _directory is None or not answers:
        return
    kept_tables.merge(_directory / _ANSWERS, answers, most=_MAX_KEPT)
