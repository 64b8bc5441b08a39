"""Checking many files in worker processes, results in path order.

A process takes runs of neighbouring files, long at first and shorter
towards the end, so that it reads the modules a package imports once; a
few files (a pre-commit run) are split by package, one group a process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.analysis import Analysis
from asynclint.config import Settings
from asynclint.file_check import check_one
from asynclint.progress import Progress

if TYPE_CHECKING:
    from asynclint import override_answers as answers
    from asynclint.checker import Checker
    from asynclint.engine import RunOptions
    from asynclint.fixing import FileFix
    from asynclint.library import LibraryModel

_worker: Checker | None = None
# Texts that stand in for files on disk (a migration's earlier rounds); set
# by `use_sources` before the processes fork, which inherit it.
_sources: Mapping[Path, str] = {}
_search_first: frozenset[Path] = frozenset()
# A file's analysis, its fix, and the answers and outlines its check
# worked out (override_answers.py, outlines.py).
Checked = tuple[
    Analysis,
    "FileFix | None",
    "dict[answers.Key, answers.Answer]",
    dict[str, tuple[bytes, bytes]],
]
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
    """Check one file, handing back the subclass answers and outlines it
    worked out so that the main process keeps them all."""
    from asynclint import outlines, override_answers

    path, fix, unsafe = task
    assert _worker is not None
    text = _sources.get(path)
    first = path in _search_first
    analysis, outcome = check_one(_worker, path, text, fix, unsafe, first)
    return analysis, outcome, override_answers.take_added(), outlines.take_added()


def check_all(
    paths: list[Path], checker: Checker, options: RunOptions
) -> list[tuple[Analysis, FileFix | None]]:
    """`_checked`, keeping the subclass answers and outlines every process
    worked out."""
    from asynclint import outlines, override_answers

    worked_out: dict[override_answers.Key, override_answers.Answer] = {}
    outlined: dict[str, tuple[bytes, bytes]] = {}
    results = []
    for analysis, outcome, added, outline in _checked(paths, checker, options):
        worked_out.update(added)
        outlined.update(outline)
        results.append((analysis, outcome))
    override_answers.save(worked_out)
    outlines.save(outlined)
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


def use_sources(
    sources: Mapping[Path, str], search_first: frozenset[Path] = frozenset()
) -> None:
    """Check these texts instead of the files on disk, and these files with
    the subclass search from the start (they had findings before); workers
    forked after this inherit both."""
    global _sources, _search_first
    _sources = dict(sources)
    _search_first = search_first
