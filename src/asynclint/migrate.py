"""One-off migrations: an API changed its nature; rewrite every use of it.

The user states the new truth (`--now-sync`, `--now-async`,
`--now-async-cm`) by qualified name; it is added to the library model as a
declaration, so it holds even before the definition itself has changed,
and the fixes of the rules that judge that kind of callee do the rewrite.
Only the findings about calls of the migrated functions (as the resolver
sees them, in `target_calls`) are fixed or listed; whatever else those
rules find in the same files is no business of the migration. Under
`--now-sync`, a coroutine of a target handed to a runner (`create_task`,
`gather`, `wait_for`) has no rewrite and is listed for the user.

`--now-async` also climbs the call graph: a plain sync function that calls a
now-async function becomes `async def` itself, and its own callers are
migrated in the next round, until no new function turns async. A caller
that cannot change safely (decorated, a dunder, nested, a generator, or
used as a value in its module) is left for the user and listed. So is a
call that runs in no function's own frame (at module level, as a top-level
def's defaults do, or in a lambda, class body or generator expression):
no `await` can go there, so it makes no function async.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from asynclint.checker import Checker
from asynclint.config import Settings
from asynclint.engine import RunOptions, RunResult, run
from asynclint.index import decode_source, import_roots, module_name_for, parse
from asynclint.library import build_model
from asynclint.migration_names import why_undefined
from asynclint.progress import Progress
from asynclint.sites import collect_sites
from asynclint.summary import FunctionInfo, summarize
from asynclint.target_calls import TargetCalls, find_target_calls
from asynclint.types import (
    Applicability,
    CodePosition,
    CodeRange,
    Fix,
    MakeFunctionAsync,
    Violation,
)

# What each direction declares, and which rules carry out the rewrite.
DIRECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "now-sync": ("sync-functions", ("ASL101",)),
    "now-async": ("coroutine-functions", ("ASL102",)),
    "now-async-cm": ("async-context-managers", ("ASL201", "ASL202", "ASL203")),
}
_MAX_LEVELS = 8


@dataclass(frozen=True, slots=True)
class Migration:
    """What a migration changed and what it could not change safely."""

    result: RunResult
    unchanged: tuple[Violation, ...]
    made_async: tuple[str, ...] = ()
    # Each given name the checked project does not define, and why.
    undefined: tuple[tuple[str, str], ...] = ()


def migrate(
    files: Sequence[Path],
    settings: Settings,
    direction: str,
    names: Sequence[str],
    jobs: int,
) -> Migration:
    """Compute the rewrite of every use of `names` (nothing is written here)."""
    key, codes = DIRECTIONS[direction]
    targets = list(names)
    sources: dict[Path, str] = {}
    originals: dict[Path, str] = {}
    fixed: list[Violation] = []
    made_async: list[str] = []
    for _level in range(_MAX_LEVELS):
        result = _round(files, settings, key, codes, direction, targets, sources, jobs)
        fixed.extend(result.fixed)
        for path, (before, after) in result.new_texts.items():
            originals.setdefault(path, before)
            sources[path] = after
        if direction != "now-async":
            break
        callers = _convertible_callers(result.violations, sources)
        if not callers:
            break
        for path, (qualname, name_range) in callers:
            text = sources.get(path)
            if text is None:
                text = decode_source(path.read_bytes())
            originals.setdefault(path, text)
            sources[path] = _make_async(text, name_range)
            made_async.append(qualname)
        targets.extend(qualname for _, (qualname, _) in callers)
    final = result
    final.fixed = fixed
    final.new_texts = {
        path: (originals[path], text)
        for path, text in sources.items()
        if text != originals[path]
    }
    unchanged = [v for v in final.violations if v.code in codes]
    if direction == "now-sync":
        checker = checker_for(settings, files, sources)
        unchanged += find_target_calls(checker, files, targets, sources).handoffs
    unchanged.sort(key=Violation.sort_key)
    return Migration(
        final, tuple(unchanged), tuple(made_async), _undefined(settings, files, names)
    )


def _undefined(
    settings: Settings, files: Sequence[Path], names: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """The names the checked files' project does not define, with why."""
    checker = checker_for(settings, files, {})
    found = ((name, why_undefined(checker, name)) for name in dict.fromkeys(names))
    return tuple((name, why) for name, why in found if why is not None)


def _round(
    files: Sequence[Path],
    settings: Settings,
    key: str,
    codes: tuple[str, ...],
    direction: str,
    targets: list[str],
    sources: dict[Path, str],
    jobs: int,
) -> RunResult:
    """Check every file, then fix, in the files that use a target, the
    findings about the targets and no other."""
    declarations = dict(settings.declarations)
    for other_key, _ in DIRECTIONS.values():
        if other_key != key:
            kept = [n for n in declarations.get(other_key, ()) if n not in targets]
            declarations[other_key] = tuple(kept)
    declarations[key] = (*declarations.get(key, ()), *targets)
    migration_settings = replace(
        settings,
        select=codes,
        ignore=(),
        declarations=declarations,
        migration_targets=tuple(targets) if direction == "now-async" else (),
    )
    options = RunOptions(
        jobs=jobs,
        cache_dir=None,
        progress=Progress.wanted(),
        sources=dict(sources),
    )
    result = run(files, migration_settings, options)
    checker = checker_for(migration_settings, files, sources)
    found = find_target_calls(checker, files, targets, sources)
    result.violations = [v for v in result.violations if found.about(v)]
    to_fix = sorted({v.path for v in result.violations if v.fix is not None})
    if to_fix:
        _fix_in(checker, to_fix, found, targets, sources, result)
    return result


def checker_for(
    settings: Settings, files: Sequence[Path], sources: Mapping[Path, str]
) -> Checker:
    """A checker for `files` that sees the texts of earlier rounds."""
    roots = import_roots(files, settings.root)
    checker = Checker(settings, build_model(settings.declarations), roots)
    for path, text in sources.items():
        checker.index.override(path, text)
    return checker


def _fix_in(
    checker: Checker,
    paths: Sequence[Path],
    found: TargetCalls,
    targets: Sequence[str],
    sources: Mapping[Path, str],
    result: RunResult,
) -> None:
    """Apply, in `paths`, the fixes of the findings about the targets only."""
    from asynclint.fixing import fix_file  # LibCST loads only when fixing

    fixed = set(paths)
    result.violations = [v for v in result.violations if v.path not in fixed]
    for path in paths:
        text = sources.get(path)
        if text is None:
            text = decode_source(path.read_bytes())
        analysis = checker.analyze(path, text)
        about_in = _about_in(checker, path, text, found, targets)
        outcome = fix_file(checker, path, text, analysis, True, wanted_in=about_in)
        result.fixed.extend(outcome.fixed)
        result.warnings.extend(outcome.warnings)
        if outcome.changed:
            result.new_texts[path] = (text, outcome.text)
        # The remaining findings stand in the new text: find the calls again.
        now = find_target_calls(checker, [path], targets, {path: outcome.text})
        result.violations.extend(
            v
            for v in outcome.analysis.violations
            if checker.settings.enabled(v.code) and now.about(v)
        )
    result.violations.sort(key=Violation.sort_key)


def _about_in(
    checker: Checker,
    path: Path,
    original: str,
    found: TargetCalls,
    targets: Sequence[str],
) -> Callable[[str], Callable[[Violation], bool]]:
    """For each text of `path` a fix round sees, which findings are about
    the targets (positions move between rounds, so the calls are found
    again in each new text)."""

    def about_in(text: str) -> Callable[[Violation], bool]:
        if text == original:
            return found.about
        return find_target_calls(checker, [path], targets, {path: text}).about

    return about_in


def _convertible_callers(
    violations: Sequence[Violation], sources: dict[Path, str]
) -> list[tuple[Path, tuple[str, CodeRange]]]:
    """The sync functions that call a now-async function in their own
    frame, where an `await` can go once they are async, and can safely
    become `async def` themselves, one entry per function."""
    waiting: dict[Path, list[Violation]] = {}
    for violation in violations:
        if violation.code == "ASL102" and violation.fix is None:
            waiting.setdefault(violation.path, []).append(violation)
    found: dict[tuple[Path, str], CodeRange] = {}
    for path, calls in waiting.items():
        text = sources.get(path)
        if text is None:
            text = decode_source(path.read_bytes())
        frames = _call_frames(path, text)
        lines = text.split("\n")
        for violation in calls:
            start = violation.range.start
            before = lines[start.line - 1][: start.column] if start.line else ""
            function = frames.get((start.line, len(before.encode("utf-8"))))
            if function is None or not _can_become_async(function):
                continue
            found.setdefault((path, function.qualname), _name_range(text, function))
    return [(path, (name, where)) for (path, name), where in sorted(found.items())]


def _call_frames(path: Path, text: str) -> dict[tuple[int, int], FunctionInfo]:
    """By `ast` position, the function each call of `text` runs in, for
    the calls that run in a function's own frame: not at module level (a
    top-level def's defaults and decorators), nor in a lambda, class body
    or generator expression, where no `await` can go."""
    name, _root, is_package = module_name_for(path)
    module = summarize(parse(text, str(path)), name, path, is_package)
    return {
        (site.node.lineno, site.node.col_offset): site.function
        for site in collect_sites(module).calls
        if site.function is not None and site.own_frame
    }


def _can_become_async(function: FunctionInfo) -> bool:
    node = function.node
    if function.is_async or function.is_generator or function.parent is not None:
        return False
    if node.decorator_list or (node.name.startswith("__") and node.name.endswith("__")):
        return False
    module = function.module
    called = {
        id(call.func) for call in ast.walk(module.tree) if isinstance(call, ast.Call)
    }
    # A function referenced without a call (a callback, a registry entry)
    # would hand out coroutines where callers expect results.
    return not any(
        isinstance(other, ast.Name)
        and other.id == node.name
        and isinstance(other.ctx, ast.Load)
        and id(other) not in called
        for other in ast.walk(module.tree)
    )


def _name_range(text: str, function: FunctionInfo) -> CodeRange:
    node = function.node
    line = text.split("\n")[node.lineno - 1]
    column = line.index(node.name, line.index("def"))
    return CodeRange(
        CodePosition(node.lineno, column),
        CodePosition(node.lineno, column + len(node.name)),
    )


def _make_async(text: str, name_range: CodeRange) -> str:
    from asynclint.fixer import apply_fixes

    fix = Fix(
        Applicability.UNSAFE, "Make it `async def`", MakeFunctionAsync(name_range)
    )
    return apply_fixes(text, [fix]).text


def per_file_summary(migration: Migration, cwd: Path) -> list[str]:
    """One line per touched file: how many sites changed and how many remain."""
    changed: dict[Path, int] = {}
    for violation in migration.result.fixed:
        changed[violation.path] = changed.get(violation.path, 0) + 1
    left: dict[Path, int] = {}
    for violation in migration.unchanged:
        left[violation.path] = left.get(violation.path, 0) + 1
    lines = []
    for path in sorted(set(changed) | set(left) | set(migration.result.new_texts)):
        try:
            shown = path.relative_to(cwd).as_posix()
        except ValueError:
            shown = path.as_posix()
        lines.append(
            f"{shown}: {changed.get(path, 0)} changed, "
            f"{left.get(path, 0)} left to do by hand"
        )
    return lines
