"""The texts for stderr: the closing summary, statistics and applied fixes.

Fixability counts follow what a rerun would do: a SAFE fix is "fixable
with --fix"; an UNSAFE one needs `--unsafe-fixes` too, unless the run
already enabled unsafe fixes, in which case it counts as fixable with --fix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from asynclint.output.links import rule_slug
from asynclint.output.paths import display_path
from asynclint.output.report import Report
from asynclint.types import Applicability, ConfigEdit, Violation


def summary(report: Report) -> str:
    """One or two sentences closing a run, with the applied fixes if asked."""
    head = _findings_sentence(report)
    unwritten = set(report.unwritten)
    unchecked = [e for e in report.errors if e.path not in unwritten]
    if unchecked:
        head += f" {_count(len(unchecked), 'file')} could not be checked."
    if unwritten:
        head += f" The fixes of {_count(len(unwritten), 'file')} could not be written."
    if report.missing:
        head += f" {_count(len(report.missing), 'path')} not found."
    if report.show_fixes and report.fixed:
        return applied_fixes(report) + head
    return head


def migration_summary(sites: int, files: int, by_hand: int, written: bool) -> str:
    """The sentence closing `asynclint migrate`."""
    verb = "changed" if written else "to change"
    return (
        f"{_count(sites, 'site')} {verb} in {_count(files, 'file')}; "
        f"{by_hand} left to do by hand."
    )


def statistics(report: Report) -> str:
    """Counts per code, most frequent first: `count  code  [mark] slug` lines.

    As in ruff, a code is marked fixable only when every one of its
    violations is: `*` when `--fix` fixes them all, `-` when it does so
    only with `--unsafe-fixes` as well, and a space when some violation of
    the code has no fix. The closing summary counts the fixable ones.
    """
    counts = Counter(violation.code for violation in report.violations)
    if not counts:
        return ""
    marks = _marks(report.violations, report.unsafe_fixes)
    width = len(str(max(counts.values())))
    code_width = max(len(code) for code in counts)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = [
        f"{count:>{width}}  {code:<{code_width}}  [{marks[code]}] "
        + (rule_slug(code) or "")
        for code, count in ordered
    ]
    return "".join(line.rstrip() + "\n" for line in lines)


def applied_fixes(report: Report) -> str:
    """The fixed violations per changed file, counted by code; empty when none."""
    if not report.fixed:
        return ""
    per_file: dict[str, Counter[str]] = {}
    for violation in report.fixed:
        path = display_path(_changed_file(violation), report.cwd)
        per_file.setdefault(path, Counter())[violation.code] += 1

    verb = "Would fix" if report.preview else "Fixed"
    lines = [f"{verb} {_count(len(report.fixed), 'violation')}:"]
    for path in sorted(per_file):
        lines.append(f"  {path}")
        for code, count in sorted(per_file[path].items()):
            slug = rule_slug(code)
            lines.append(f"    {count} x {code}" + (f" {slug}" if slug else ""))
    return "".join(line + "\n" for line in lines)


def _changed_file(violation: Violation) -> Path:
    # A marker registration is found in a test file but written to the config.
    fix = violation.fix
    if fix is not None and isinstance(fix.replacement, ConfigEdit):
        return fix.replacement.path
    return violation.path


def _findings_sentence(report: Report) -> str:
    remaining = len(report.violations)
    fixed = report.fixed_count
    if remaining == 0 and fixed == 0:
        unchecked = report.errors or report.missing
        return "No violations found." if unchecked else "All checks passed."

    parts = []
    if fixed and report.preview:
        parts += [f"{fixed} would be fixed", f"{remaining} would remain"]
    elif fixed:
        parts += [f"{fixed} fixed", f"{remaining} remaining"]
    safe, unsafe = _fixable(report.violations, report.unsafe_fixes)
    if safe:
        parts.append(f"{safe} fixable with --fix")
    if unsafe:
        hint = "with --unsafe-fixes" if safe else "fixable with --fix --unsafe-fixes"
        parts.append(f"{unsafe} {hint}")
    total = _count(remaining + fixed, "violation")
    return f"Found {total} ({', '.join(parts)})." if parts else f"Found {total}."


def _fixable(violations: Iterable[Violation], unsafe_enabled: bool) -> tuple[int, int]:
    """How many violations `--fix` would fix, and how many more it would not."""
    safe = unsafe = 0
    for violation in violations:
        if violation.fix is None:
            continue
        if violation.fix.applicability is Applicability.SAFE or unsafe_enabled:
            safe += 1
        else:
            unsafe += 1
    return safe, unsafe


def _marks(violations: Sequence[Violation], unsafe_enabled: bool) -> dict[str, str]:
    by_code: dict[str, list[Violation]] = {}
    for violation in violations:
        by_code.setdefault(violation.code, []).append(violation)
    marks = {}
    for code, group in by_code.items():
        safe, unsafe = _fixable(group, unsafe_enabled)
        if safe == len(group):
            marks[code] = "*"
        elif safe + unsafe == len(group):
            marks[code] = "-"
        else:
            marks[code] = " "
    return marks


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
