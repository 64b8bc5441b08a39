"""One-off migrations: an API changed its nature; rewrite every use of it.

The user states the new truth (`--now-sync`, `--now-async`,
`--now-async-cm`) by qualified name; it is added to the library model as a
declaration, so it holds even before the definition itself has changed,
and the fixes of the rules that judge that kind of callee do the rewrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from asynclint.config import Settings
from asynclint.engine import RunOptions, RunResult, run
from asynclint.progress import Progress
from asynclint.types import Violation

# What each direction declares, and which rules carry out the rewrite.
DIRECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "now-sync": ("sync-functions", ("ASL101",)),
    "now-async": ("coroutine-functions", ("ASL102",)),
    "now-async-cm": ("async-context-managers", ("ASL201", "ASL202", "ASL203")),
}


@dataclass(frozen=True, slots=True)
class Migration:
    """What a migration changed and what it could not change safely."""

    result: RunResult
    unchanged: tuple[Violation, ...]
    sync_callers: tuple[Violation, ...]


def migrate(
    files: Sequence[Path], settings: Settings, direction: str, names: Sequence[str], jobs: int
) -> Migration:
    """Compute the rewrite of every use of `names` (nothing is written here)."""
    key, codes = DIRECTIONS[direction]
    declarations = dict(settings.declarations)
    for other_key, _ in DIRECTIONS.values():
        if other_key != key:
            remaining = [n for n in declarations.get(other_key, ()) if n not in names]
            declarations[other_key] = tuple(remaining)
    declarations[key] = (*declarations.get(key, ()), *names)
    migration_settings = replace(
        settings,
        select=codes,
        ignore=(),
        declarations=declarations,
        migration_targets=tuple(names) if direction == "now-async" else (),
    )
    options = RunOptions(
        fix=True, unsafe_fixes=True, jobs=jobs, cache_dir=None, progress=Progress.wanted()
    )
    result = run(files, migration_settings, options)
    unchanged = tuple(v for v in result.violations if v.code in codes)
    sync_callers = tuple(
        v for v in unchanged if v.code == "ASL102" and v.fix is None
    )
    return Migration(result, unchanged, sync_callers)


def per_file_summary(migration: Migration, cwd: Path) -> list[str]:
    """One line per touched file: how many sites changed and how many remain."""
    changed: dict[Path, int] = {}
    for violation in migration.result.fixed:
        changed[violation.path] = changed.get(violation.path, 0) + 1
    left: dict[Path, int] = {}
    for violation in migration.unchanged:
        left[violation.path] = left.get(violation.path, 0) + 1
    lines = []
    for path in sorted(set(changed) | set(left)):
        try:
            shown = path.relative_to(cwd).as_posix()
        except ValueError:
            shown = path.as_posix()
        lines.append(
            f"{shown}: {changed.get(path, 0)} changed, {left.get(path, 0)} left to do by hand"
        )
    return lines
