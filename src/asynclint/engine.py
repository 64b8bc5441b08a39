"""A run: files in, per-file results out, in parallel, cached, optionally fixed."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import suppression
from asynclint.analysis import Analysis, content_hash
from asynclint.cache import CLEAN, Cache, Clean, is_clean
from asynclint.config import Settings
from asynclint.discovery import path_order
from asynclint.index import decode_source, parse
from asynclint.progress import Progress
from asynclint.run_setup import RunSetup, make_checker
from asynclint.types import Applicability, ConfigEdit, FileError, Violation

if TYPE_CHECKING:
    from asynclint import markers
    from asynclint import override_answers as answers
    from asynclint.checker import Checker
    from asynclint.fixing import FileFix
    from asynclint.library import LibraryModel

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


# -- worker side ----------------------------------------------------------

_worker: Checker | None = None
_sources: Mapping[Path, str] = {}
# A file's analysis, its fix, and the answers its check worked out.
Checked = tuple[Analysis, "FileFix | None", "dict[answers.Key, answers.Answer]"]
# A file to check: its path, whether to fix it, whether unsafe fixes count.
Task = tuple[Path, bool, bool]
# Below this many files a run is too short to share out file by file.
_FEW_FILES = 16
# The shortest run of neighbouring files a process takes at a time.
_SHORTEST_RUN = 32


def _init_worker(
    settings: Settings,
    library: LibraryModel,
    roots: Sequence[Path],
    fix: bool,
    unused_directives: bool,
) -> None:
    from asynclint.checker import Checker

    global _worker
    _worker = Checker(settings, library, roots, unused_directives)
    for path, text in _sources.items():
        _worker.index.override(path, text)
    if not fix:
        # A worker lives for one run and is reaped with everything it holds.
        gc.disable()


def _work(task: Task) -> Checked:
    """Check one file, handing back the subclass answers it worked out
    (override_answers.py) so that the main process keeps them all."""
    from asynclint import override_answers

    path, fix, unsafe = task
    assert _worker is not None
    analysis, outcome = check_one(_worker, path, _sources.get(path), fix, unsafe)
    return analysis, outcome, override_answers.take_added()


def check_one(
    checker: Checker, path: Path, text: str | None, fix: bool, unsafe: bool
) -> tuple[Analysis, FileFix | None]:
    """Check (and with `fix`, fix) one file; errors become data."""
    try:
        if text is None:
            data = path.read_bytes()
            if b"\0" in data:
                return _failed(path, _nul_failure(data)), None
            text = decode_source(data)
        else:
            data = text.encode("utf-8", "surrogatepass")
    except IsADirectoryError:
        return _failed(path, "is a directory, not a Python file"), None
    except PermissionError:
        return _failed(path, "cannot read: permission denied"), None
    except FileNotFoundError:
        return _failed(path, "no such file"), None
    except OSError as error:
        return _failed(path, f"cannot read: {error.strerror or error}"), None
    except (UnicodeDecodeError, SyntaxError, LookupError) as error:
        return _failed(path, f"cannot decode: {decode_failure(data, error)}"), None
    analysis = checker.analyze(path, text, data)
    if not fix or analysis.error is not None:
        return analysis, None
    from asynclint.fixing import fix_file  # LibCST loads only when fixing

    settings = checker.settings
    outcome = fix_file(
        checker, path, text, analysis, unsafe, lambda v: _file_enabled(v, settings)
    )
    return outcome.analysis, outcome


def _nul_failure(data: bytes) -> str:
    """Why bytes holding NUL are no source: binary, or a wide encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Python reads no UTF-16 or UTF-32 source, whatever a cookie says.
        return "is UTF-16 or UTF-32 text; Python source must be UTF-8 or ASCII-based"
    return "contains a NUL byte; not a Python source file"


def decode_failure(data: bytes, error: Exception) -> str:
    """Why `data` is not source text, pointing at the first bad byte."""
    if isinstance(error, SyntaxError) and "encoding declaration" in str(error.msg):
        # tokenize found undecodable bytes before any coding cookie.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            error = bad
    if not isinstance(error, UnicodeDecodeError):
        return getattr(error, "msg", None) or str(error)
    line = data.count(b"\n", 0, error.start) + 1
    where = f"byte 0x{data[error.start]:02x} on line {line}"
    if error.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        return (
            f"not valid UTF-8 ({where}); a coding comment can declare another encoding"
        )
    return f"not valid {error.encoding} as its coding comment says ({where})"


def _failed(path: Path, message: str) -> Analysis:
    return Analysis(
        path.absolute(), (), FileError(path.absolute(), message), None, None, ()
    )


# -- main side ------------------------------------------------------------


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
    global _sources
    _sources = dict(options.sources or {})  # workers inherit it when forked
    if checker is not None:
        roots.keep_overrides()
        for path, text in _sources.items():
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
        for analysis, outcome in _map(pending, checker, options):
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
    _judge_markers(analyses, clean, settings, options, result, used)
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
    return [v for v in found if _file_enabled(v, settings)]


def _has_fixable(analysis: Analysis, options: RunOptions) -> bool:
    return any(
        v.fix is not None
        and (options.unsafe_fixes or v.fix.applicability is Applicability.SAFE)
        and not isinstance(v.fix.replacement, ConfigEdit)
        for v in analysis.violations
    )


def _map(
    paths: list[Path], checker: Checker, options: RunOptions
) -> list[tuple[Analysis, FileFix | None]]:
    """`_checked`, keeping the subclass answers every process worked out."""
    from asynclint import override_answers

    worked_out: dict[override_answers.Key, override_answers.Answer] = {}
    results = []
    for analysis, outcome, added in _checked(paths, checker, options):
        worked_out.update(added)
        results.append((analysis, outcome))
    override_answers.save(worked_out)
    return results


def _checked(paths: list[Path], checker: Checker, options: RunOptions) -> list[Checked]:
    """Check every path, in parallel when worth it, results in path order.

    A plain check runs with the cyclic garbage collector off: checking
    builds no reference cycles (summaries are disposed of between files,
    tests/test_no_cycles.py holds that), and the collector's passes over
    millions of kept syntax-tree nodes cost a third of a cold run. Fixing
    keeps it on: LibCST's trees are not held to that rule.
    """
    global _worker
    jobs = options.jobs or os.cpu_count() or 1
    tasks = [(p, options.fix, options.unsafe_fixes) for p in paths]
    groups: list[list[Task]] = []
    if 1 < len(paths) < _FEW_FILES and jobs > 1:
        groups = _neighbourhoods(tasks, checker.settings.root, jobs)
    if jobs <= 1 or (len(paths) < _FEW_FILES and len(groups) < 2):
        _worker = checker
        collecting = gc.isenabled()
        if not options.fix:
            gc.disable()
        try:
            return [_work(task) for task in tasks]
        finally:
            # Freed now, by reference counting: left for the collector, the
            # kept syntax trees would cost it a full pass (a second or so).
            checker.index.clear()
            if collecting:
                gc.enable()
    initargs = (
        checker.settings,
        checker.library,
        checker.index.roots,
        options.fix,
        checker.unused_directives,
    )
    # Imported here: a warm run, answered by the cache, starts no process.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    meter = Progress(len(tasks)) if options.progress else None
    results = []
    with ProcessPoolExecutor(
        min(jobs, len(groups) or jobs),
        mp_context=context,
        initializer=_init_worker,
        initargs=initargs,
    ) as pool:
        if groups:
            # A few files: each process checks one neighbourhood whole.
            done = {c[0].path: c for g in pool.map(_work_group, groups) for c in g}
            return [done[path.absolute()] for path in paths]
        for outcomes in pool.map(_work_group, _guided_runs(tasks, jobs)):
            results.extend(outcomes)
            if meter is not None:
                meter.advance(len(outcomes))
    if meter is not None:
        meter.close()
    return results


def _guided_runs(tasks: list[Task], jobs: int) -> list[list[Task]]:
    """The tasks cut into runs of neighbouring files, long at first and
    shorter towards the end: a process that checks a long run of one
    package reads the modules that package imports once (short runs dealt
    out in turn had every process read them), and the short last runs
    keep the processes busy until the end."""
    runs: list[list[Task]] = []
    start = 0
    while start < len(tasks):
        size = max(_SHORTEST_RUN, (len(tasks) - start) // (2 * jobs))
        runs.append(tasks[start : start + size])
        start += size
    return runs


def _work_group(tasks: list[Task]) -> list[Checked]:
    return [_work(task) for task in tasks]


def _neighbourhoods(tasks: list[Task], root: Path, jobs: int) -> list[list[Task]]:
    """A few files split into at most `jobs` groups, keeping files of the
    same package together (they import the same modules, which a process
    then reads once) and the groups' sizes even; fewer than two groups when
    the files all sit in one package."""
    packages: dict[tuple[str, ...], list[Task]] = {}
    for task in tasks:
        try:
            parts = task[0].absolute().relative_to(root).parts[:-1]
        except ValueError:
            parts = task[0].absolute().parts[:-1]
        packages.setdefault(parts[:2], []).append(task)
    if len(packages) < 2:
        return []
    bins: list[tuple[int, list[Task]]] = [(0, []) for _ in range(jobs)]
    for members in sorted(packages.values(), key=_size, reverse=True):
        weight, group = min(bins, key=lambda b: b[0])
        bins.remove((weight, group))
        bins.append((weight + _size(members), group + members))
    return [group for _, group in bins if group]


def _size(tasks: list[Task]) -> int:
    total = 0
    for path, _fix, _unsafe in tasks:
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def _unsuppressed(
    analysis: Analysis, settings: Settings, used: dict[Path, set[int]]
) -> list[Violation]:
    violations = [v for v in analysis.violations if _file_enabled(v, settings)]
    notes = analysis.suppressions
    if notes is None:
        return violations
    kept, spent = suppression.apply(violations, notes)
    used.setdefault(analysis.path, set()).update(spent)
    return kept


def _file_enabled(violation: Violation, settings: Settings) -> bool:
    if not settings.per_file_ignores:
        return True
    from pathspec import GitIgnoreSpec

    try:
        relative = violation.path.relative_to(settings.root).as_posix()
    except ValueError:
        relative = violation.path.as_posix()
    for pattern, codes in settings.per_file_ignores.items():
        spec = GitIgnoreSpec.from_lines([pattern])
        if spec.match_file(relative) and any(
            violation.code.startswith(c) for c in codes
        ):
            return False
    return True


def _judge_markers(
    analyses: dict[Path, Analysis],
    clean: set[str],
    settings: Settings,
    options: RunOptions,
    result: RunResult,
    used: dict[Path, set[int]],
) -> None:
    facts = {p: a.facts for p, a in analyses.items() if a.facts is not None}
    if not facts:
        return
    from asynclint import markers  # only runs that meet test files need it

    loaded: dict[Path, markers.MarkerFacts | None] = {}

    def load_facts(path: Path) -> markers.MarkerFacts | None:
        path = path.absolute()
        if path in analyses and analyses[path].facts is not None:
            return analyses[path].facts
        if path not in loaded:
            loaded[path] = _facts_of(path)
        return loaded[path]

    for _round in range(4):
        found = markers.check(
            facts,
            project_root=settings.root,
            load_facts=load_facts,
            declared_marker_descriptions=settings.marker_descriptions,
        )
        found = [
            v for v in found if settings.enabled(v.code) and _file_enabled(v, settings)
        ]
        found = _suppress_markers(found, analyses, clean, result, options, used)
        if not options.fix:
            result.violations.extend(found)
            return
        if not _apply_marker_fixes(found, options, result, settings.root):
            result.violations.extend(found)
            return
        facts = _refresh_facts(facts, result)


def _suppress_markers(
    found: list[Violation],
    analyses: dict[Path, Analysis],
    clean: set[str],
    result: RunResult,
    options: RunOptions,
    used: dict[Path, set[int]],
) -> list[Violation]:
    """Drop marker findings that a directive on their line covers.

    The directives come from the file's analysis, or are read from the text
    the run holds for it (fixed text, the stdin buffer), or from disk.
    """
    kept = []
    for violation in found:
        notes = _notes_for(violation.path, analyses, clean, result, options)
        if notes is None:
            kept.append(violation)
            continue
        remaining, spent = suppression.apply([violation], notes)
        used.setdefault(violation.path, set()).update(spent)
        kept.extend(remaining)
    return kept


def _notes_for(
    path: Path,
    analyses: dict[Path, Analysis],
    clean: set[str],
    result: RunResult,
    options: RunOptions,
) -> suppression.Suppressions | None:
    analysis = analyses.get(path)
    if analysis is not None and analysis.suppressions is not None:
        return analysis.suppressions
    if path.suffix != ".py" or (analysis is None and str(path) not in clean):
        return None
    if path in result.new_texts:
        text = result.new_texts[path][1]
    elif options.stdin_text is not None:
        text = options.stdin_text
    else:
        try:
            text = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
            return None
    return suppression.parse_suppressions(text)


def _apply_marker_fixes(
    found: list[Violation], options: RunOptions, result: RunResult, root: Path
) -> bool:
    """Apply config edits and marker renames; True when something changed.

    A config file that cannot or must not be written (a link out of `root`,
    a file that is not UTF-8) keeps its findings and gets a file error.
    """
    from asynclint.fixer import apply_fixes

    edits: dict[Path, list[ConfigEdit]] = {}
    renames: dict[Path, list[Violation]] = {}
    for violation in found:
        fix = violation.fix
        if fix is None:
            continue
        if fix.applicability is Applicability.UNSAFE and not options.unsafe_fixes:
            continue
        if isinstance(fix.replacement, ConfigEdit):
            edits.setdefault(fix.replacement.path, []).append(fix.replacement)
        else:
            renames.setdefault(violation.path, []).append(violation)
    from asynclint import markers

    changed = False
    for path, file_edits in edits.items():
        previous = result.config_texts.get(path)
        before = previous[1] if previous is not None else markers.config_text(path)
        if before is None:
            continue
        if options.write:
            written = markers.apply_config_edits(path, file_edits, root)
            if written.problem is not None and path not in result.unwritten:
                result.errors.append(FileError(path, written.problem))
                result.unwritten.append(path)
            after = markers.config_text(path)
            if not written.written or after is None:
                continue
        else:
            after = markers.edit_config_text(before, path, file_edits)
            if after == before:
                continue
        changed = True
        original = previous[0] if previous else before
        result.config_texts[path] = (original, after)
        result.fixed.extend(
            v for v in found if v.fix and v.fix.replacement in file_edits
        )
    for path, violations in renames.items():
        current = result.new_texts.get(path)
        text = current[1] if current else decode_source(path.read_bytes())
        outcome = apply_fixes(text, [v.fix for v in violations if v.fix])
        if outcome.applied and _parses(outcome.text):
            changed = True
            original = current[0] if current else text
            result.new_texts[path] = (original, outcome.text)
            result.fixed.extend(v for v in violations if v.fix in outcome.applied)
    return changed


def _parses(text: str) -> bool:
    try:
        parse(text, "<fixed>")
    except (SyntaxError, ValueError):
        return False
    return True


def _refresh_facts(
    facts: dict[Path, markers.MarkerFacts], result: RunResult
) -> dict[Path, markers.MarkerFacts]:
    from asynclint import markers

    refreshed = dict(facts)
    for path, (_, text) in result.new_texts.items():
        if path in refreshed:
            refreshed[path] = markers.file_facts(parse(text, str(path)), path)
    return refreshed


def _facts_of(path: Path) -> markers.MarkerFacts | None:
    from asynclint import markers

    try:
        text = decode_source(path.read_bytes())
        return markers.file_facts(parse(text, str(path)), path)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError, LookupError):
        return None


def write_changes(result: RunResult, writer: Callable[[Path, str], None]) -> None:
    """Write every fixed Python file (config files are written by their editor)."""
    for path, (_, text) in sorted(result.new_texts.items()):
        writer(path, text)


__all__ = ["RunOptions", "RunResult", "content_hash", "run", "write_changes"]
