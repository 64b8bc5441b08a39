"""Whether a project subclass redefines a method as the other kind.

`await self.fetch()` in a base class whose `fetch` is a plain `def` is fine
when the object is a subclass instance with `async def fetch`. Finding the
subclasses means looking at the whole project: a text scan
(definition_scan.py) lists the files that define a function of a given
name as `def` or as `async def`; only those files are summarised, and their
classes are resolved through inference. The scan only ever makes a method
unknown, so its spelling-level view cannot cause a report. Answers are
kept for the run and between runs (override_answers.py).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import definition_scan, override_answers
from asynclint.definition_scan import Definitions
from asynclint.override_answers import Answer, Key
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.values import UNKNOWN, ClassRef, Instance, Value

if TYPE_CHECKING:
    from asynclint.infer import Inference

    class _RecordingInference(Inference):
        read_bodies: bool


# Files defining the name as the same kind are dependencies of a checked
# file's cached findings (one of them may turn into the other kind) unless
# the name is so common that listing them would swamp the cache.
_MAX_SAME_KIND_DEPENDENCIES = 64
_SCAN = "definitions.pickle"
_directory: Path | None = None


def keep_in(directory: Path | None) -> None:
    """Keep the scan and the answers in `directory` (None: do not).

    Called by the engine before any worker starts; forked workers inherit
    the setting. What an earlier run in this process scanned or worked out
    is dropped: the tree may have changed since.
    """
    global _directory
    _directory = directory
    definition_scan.forget()
    override_answers.keep_in(directory)


def definitions(roots: tuple[Path, ...]) -> Definitions:
    """The text scan of the project under `roots`, kept as `keep_in` says."""
    store = _directory / _SCAN if _directory is not None else None
    return definition_scan.definitions(roots, store)


def overridden_as_other_kind(inference: Inference, method: FunctionInfo) -> bool:
    """True when a class that may derive from the method's class defines
    the same name as the other kind."""
    owner = method.owner
    if owner is None:
        return False
    index = inference.index
    scan = definitions(tuple(index.roots))
    key: Key = (
        str(owner.module.path),
        owner.qualname,
        owner.node.lineno,
        method.name,
        method.is_async,
    )
    answer = index.override_answers.get(key)
    if answer is None:
        other_kind = tuple(scan.definers(method.name, not method.is_async))
        same_kind = _same_kind(scan, method)
        # Kept answers are about the files on disk: not for a fix round or
        # a migration, which check texts that exist only in memory.
        keeps = override_answers.keeping() and index.reads_disk_only
        stored = override_answers.stored(key) if keeps else None
        if stored is not None and override_answers.still_holds(
            stored, other_kind, same_kind, scan, index
        ):
            answer = stored
        else:
            answer = _work_out(inference, method, other_kind, same_kind, scan)
            if keeps:
                override_answers.add(key, answer)
        index.override_answers[key] = answer
    inference.touched.update(map(Path, answer.touched))
    if not answer.overridden:
        assumed = (method.name, method.is_async)
        inference.assumed[assumed] = override_answers.digest(answer.other_kind)
    return answer.overridden


def _same_kind(scan: Definitions, method: FunctionInfo) -> tuple[str, ...] | None:
    files = scan.definers(method.name, method.is_async)
    return tuple(files) if len(files) <= _MAX_SAME_KIND_DEPENDENCIES else None


def _work_out(
    inference: Inference,
    method: FunctionInfo,
    other_kind: tuple[str, ...],
    same_kind: tuple[str, ...] | None,
    scan: Definitions,
) -> Answer:
    """The answer, from an inference of its own: what the checked file
    already worked out must not leak into an answer other files reuse, and
    the modules read on the way are exactly its dependencies."""
    assert method.owner is not None
    owner = method.owner
    fresh, read_bodies = _recording(inference)
    overridden = False
    for path in other_kind:
        summary = fresh.index.summary_for_path(Path(path))
        if summary is None:
            continue
        for klass in summary.classes:
            redefined = klass.methods.get(method.name, [])
            if klass is owner or not any(
                m.is_async != method.is_async for m in redefined
            ):
                continue
            fresh.touched.add(summary.path)
            if _derives_from(fresh, klass, owner):
                overridden = True
                break
        if overridden:
            break
    touched = {str(path) for path in fresh.touched}
    touched.update(same_kind or ())
    # Every file defining the name as the other kind counts, not only those
    # read before the answer was found: an edit to any may add a subclass.
    read = {*touched, *other_kind, str(owner.module.path)}
    sources: tuple[override_answers.Source, ...] = ()
    if override_answers.keeping():  # only a kept answer is ever checked
        structural = not read_bodies()
        sources = override_answers.sources(read, scan, fresh.index, structural)
    return Answer(overridden, other_kind, same_kind, sources, tuple(sorted(touched)))


def _recording(inference: Inference) -> tuple[Inference, Callable[[], bool]]:
    """A new inference over the same project, and whether it has looked
    into a function body so far: a call's result, or an attribute of an
    instance (those are assigned in methods)."""
    fresh = _recording_type()(inference.index, inference.library)
    return fresh, lambda: fresh.read_bodies


@cache
def _recording_type() -> type[_RecordingInference]:
    # Made on first use: infer.py imports this module.
    from asynclint.infer import Inference, Scope

    class Recording(Inference):
        read_bodies = False

        def function_result(self, function: FunctionInfo) -> Value:
            self.read_bodies = True
            return super().function_result(function)

        def attribute(
            self,
            base: Value,
            attr: str,
            node: ast.expr | None = None,
            scope: Scope | None = None,
        ) -> Value:
            if isinstance(base, Instance):
                self.read_bodies = True
            return super().attribute(base, attr, node, scope)

    # The same class as `_RecordingInference`, which mypy sees declared
    # apart because it cannot be defined at import time.
    return Recording  # type: ignore[return-value]


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
