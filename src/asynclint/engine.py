"""A run: files in, per-file results out, in parallel, cached, optionally fixed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import marker_run, suppression, worker_pool
from asynclint.analysis import Analysis, content_hash
from asynclint.cache import CLEAN, Cache, Clean, is_clean
from asynclint.config import Settings
from asynclint.discovery import path_order
from asynclint.file_check import check_one
from asynclint.run_setup import RunSetup, make_checker
from asynclint.types import Applicability, ConfigEdit, FileError, Violation

if TYPE_CHECKING:
    from asynclint.fixing import FileFix

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What a run does besides checking."""

    fix: bool = False
    unsafe_fixes: bool = False
    jobs: int = 0
    cache_dir: Path | None = None
    warn_unused_ignores: bool = False
    stdin_text: str | None = None
    # Texts that stand in for files on disk (a migration's earlier rounds).
    sources: Mapping[Path, str] | None = None
    write: bool = False
    progress: bool = False


@dataclass(slots=True)
class RunResult:
    """Everything a run found and changed."""

    violations: list[Violation] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    fixed: list[Violation] = field(default_factory=list)
    new_texts: dict[Path, tuple[str, str]] = field(default_factory=dict)
    config_texts: dict[Path, tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Files whose fixes could not be written (the CLI fills it in).
    unwritten: list[Path] = field(default_factory=list)
    # Where this run's cache keeps what it worked out, if it has a cache.
    cache_directory: Path | None = None


def run(
    paths: Sequence[Path] | Sequence[str], settings: Settings, options: RunOptions
) -> RunResult:
    """Check `paths` (already discovered files) and apply fixes if asked."""
    cache = None
    if options.cache_dir:
        cache = Cache.open(options.cache_dir, settings, options.warn_unused_ignores)
    analyses: dict[Path, Analysis] = {}
    fixes: dict[Path, FileFix] = {}
    pending: list[Path] = []
    # Files the cache answers as clean are counted by name only: nothing
    # about them is reported, so no `Path` or analysis is made for them.
    clean: set[str] = set()
    names = _in_path_order(paths)
    ordered: list[Path] = []
    # A stdin buffer is never answered from the cache (its text is not the
    # file's), though its checked analysis is still stored below.
    answering = cache if options.stdin_text is None else None
    keep = answering.directory if answering else None
    roots = RunSetup(settings, names, keep)
    if answering is not None:
        answering.judge = roots.assumptions_hold
    snapshot = answering.answer_all(names) if answering else None
    for name in names:
        cached: Analysis | Clean | None = None
        if snapshot is not None:
            cached = snapshot.get(name, CLEAN)
        elif answering is not None:
            cached = answering.lookup(name)
        if cached is CLEAN:
            clean.add(name)
            continue
        path = Path(name)
        ordered.append(path)
        if isinstance(cached, Analysis) and not (
            options.fix and _has_fixable(cached, options)
        ):
            analyses[path] = cached
        else:
            pending.append(path)
    # The analysis machinery (and the library model) loads only when some file
    # is not answered by the cache: a warm run needs neither.
    checker = None
    if pending:
        checker = make_checker(settings, roots.get(), keep, options.warn_unused_ignores)
    sources = dict(options.sources or {})
    # A file that had findings before most likely still has them: it is
    # checked with the subclass search from the start (see Checker.analyze).
    had_findings = frozenset(
        path for path in pending if answering and answering.had_findings(str(path))
    )
    worker_pool.use_sources(sources, had_findings)
    if checker is not None:
        roots.keep_overrides()
        for path, text in sources.items():
            checker.index.override(path, text)
    if checker is not None and options.stdin_text is not None:
        for path in pending:
            analysis, outcome = check_one(
                checker, path, options.stdin_text, options.fix, options.unsafe_fixes
            )
            analyses[path] = analysis
            if outcome is not None:
                fixes[path] = outcome
    elif checker is not None:
        for analysis, outcome in worker_pool.check_all(pending, checker, options):
            analyses[analysis.path] = analysis
            if outcome is not None:
                fixes[analysis.path] = outcome
    if cache is not None:
        for path in pending:
            analysis = analyses[path]
            if analysis.error is None and path not in fixes:
                cache.store(analysis)
        cache.save()
        if answering and snapshot is None and not fixes and len(names) >= 100:
            _snapshot(answering, names, analyses, pending)
    result = RunResult(cache_directory=cache.directory if cache else None)
    used: dict[Path, set[int]] = {}
    for path in ordered:
        analysis = analyses[path]
        if analysis.error is not None:
            result.errors.append(analysis.error)
            continue
        kept = _unsuppressed(analysis, settings, used)
        result.violations.extend(kept)
        outcome = fixes.get(path)
        if outcome is not None and outcome.changed:
            result.fixed.extend(outcome.fixed)
            result.new_texts[path] = (outcome.original, outcome.text)
        if outcome is not None:
            result.warnings.extend(outcome.warnings)
    marker_run.judge_markers(analyses, clean, settings, options, result, used)
    if options.warn_unused_ignores:
        result.violations.extend(_unused_suppressions(analyses, settings, used))
    result.violations.sort(key=Violation.sort_key)
    return result


def _snapshot(
    cache: Cache,
    names: list[str],
    analyses: dict[Path, Analysis],
    pending: list[Path],
) -> None:
    """Keep a run's answers whole (see `Cache.answer_all`): worth it for a
    run over a tree, not for a pre-commit run over a few files."""
    dependencies = dict(cache.looked_up)
    for path in pending:
        dependencies[str(path)] = tuple(map(str, analyses[path].dependencies))
    answers = {
        str(path): analysis
        for path, analysis in analyses.items()
        if not is_clean(analysis)
    }
    cache.save_snapshot(names, answers, dependencies)


def _in_path_order(paths: Sequence[Path] | Sequence[str]) -> list[str]:
    """Absolute names, without duplicates, sorted as `Path` sorts (by
    parts) but compared as split strings: pathlib made this a tenth of a
    warm run. Strings are taken as discovery makes them (absolute and
    normalised); a `Path` is made absolute first."""
    unique = {
        path if isinstance(path, str) else str(path.absolute()): None for path in paths
    }
    return sorted(unique, key=path_order)


def _unused_suppressions(
    analyses: dict[Path, Analysis], settings: Settings, used: dict[Path, set[int]]
) -> list[Violation]:
    """ASL001 for directives that suppressed nothing, once every rule (the
    marker family included) has had its findings suppressed."""
    found: list[Violation] = []
    for path, analysis in analyses.items():
        notes = analysis.suppressions
        if notes is None or analysis.error is not None:
            continue
        spent = frozenset(used.get(path, ()))
        found.extend(suppression.unused(notes, spent, settings.enabled, path=path))
    return [v for v in found if settings.reports(v.path, v.code)]


def _has_fixable(analysis: Analysis, options: RunOptions) -> bool:
    return any(
        v.fix is not None
        and (options.unsafe_fixes or v.fix.applicability is Applicability.SAFE)
        and not isinstance(v.fix.replacement, ConfigEdit)
        for v in analysis.violations
    )


def _unsuppressed(
    analysis: Analysis, settings: Settings, used: dict[Path, set[int]]
) -> list[Violation]:
    violations = [v for v in analysis.violations if settings.reports(v.path, v.code)]
    notes = analysis.suppressions
    if notes is None:
        return violations
    kept, spent = suppression.apply(violations, notes)
    used.setdefault(analysis.path, set()).update(spent)
    return kept


def write_changes(result: RunResult, writer: Callable[[Path, str], None]) -> None:
    """Write every fixed Python file (config files are written by their editor)."""
    for path, (_, text) in sorted(result.new_texts.items()):
        writer(path, text)


__all__ = ["RunOptions", "RunResult", "content_hash", "run", "write_changes"]
