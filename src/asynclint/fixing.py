"""The fix loop for one file: apply, verify, re-check, until nothing changes."""

from __future__ import annotations

import difflib
import io
import tokenize
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint import suppression
from asynclint.analysis import Analysis
from asynclint.checker import Checker, tree_parses
from asynclint.fixer import apply_fixes
from asynclint.types import Applicability, ConfigEdit, Fix, RenameAttribute, Violation

# Each round re-checks the fixed text. Overlapping fixes (nested `with`
# blocks) go in one per round, so a file may need many rounds; the loop
# ends anyway, since an accepted round removes findings and adds none, and
# this ceiling only guards against a rewrite that defeats that check.
_MAX_ROUNDS = 100


@dataclass(slots=True)
class FileFix:
    """The outcome of fixing one file."""

    analysis: Analysis
    original: str
    text: str
    fixed: list[Violation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass(frozen=True, slots=True)
class _Accepted:
    """A verified rewrite: its text, the analysis of that text, its fixes."""

    text: str
    analysis: Analysis
    applied: tuple[Fix, ...]


def fixable(violation: Violation, unsafe: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` if `unsafe`) applies this fix here."""
    fix = violation.fix
    if fix is None or isinstance(fix.replacement, (ConfigEdit, RenameAttribute)):
        return False
    return unsafe or fix.applicability is Applicability.SAFE


def fix_file(
    checker: Checker,
    path: Path,
    text: str,
    analysis: Analysis,
    unsafe: bool,
    wanted: Callable[[Violation], bool] | None = None,
) -> FileFix:
    """Apply fixes to `text` round by round; every round's output must parse,
    keep every comment and add no violation, or its fixes are dropped.

    Suppressed findings, and those `wanted` rejects, are never fixed.
    """
    outcome = FileFix(analysis, text, text)
    current = _Accepted(text, analysis, ())
    rejected: set[tuple[str, str]] = set()
    for _ in range(_MAX_ROUNDS):
        candidates = [
            v
            for v in _reported(current.analysis, wanted)
            if fixable(v, unsafe) and (v.code, v.message) not in rejected
        ]
        if not candidates:
            break
        accepted = _round(checker, path, current, candidates, outcome, rejected)
        if accepted is None:
            break
        outcome.fixed.extend(v for v in candidates if v.fix in accepted.applied)
        current = accepted
    outcome.text = current.text
    outcome.analysis = current.analysis
    if current.text != text:
        checker.index.override(path, current.text)
    return outcome


def _reported(
    analysis: Analysis, wanted: Callable[[Violation], bool] | None
) -> list[Violation]:
    violations = [v for v in analysis.violations if wanted is None or wanted(v)]
    if analysis.suppressions is not None:
        violations, _ = suppression.apply(violations, analysis.suppressions)
    return violations


def _round(
    checker: Checker,
    path: Path,
    current: _Accepted,
    candidates: list[Violation],
    outcome: FileFix,
    rejected: set[tuple[str, str]],
) -> _Accepted | None:
    """One round: all fixes together, else each fix that verifies, one by one."""
    fixes = [v.fix for v in candidates if v.fix is not None]
    together = _try(checker, path, current, fixes)
    if isinstance(together, _Accepted):
        return together
    # Some fix in the batch is bad (or two clash): grow the batch one fix
    # at a time, keeping each addition that still verifies.
    best: _Accepted | None = None
    for violation in candidates:
        assert violation.fix is not None
        kept = best.applied if best is not None else ()
        attempt = _try(checker, path, current, [*kept, violation.fix])
        if isinstance(attempt, _Accepted) and violation.fix in attempt.applied:
            best = attempt
        elif isinstance(attempt, str):
            rejected.add((violation.code, violation.message))
            outcome.warnings.append(
                f"{path}:{violation.line}:{violation.column}: "
                f"{violation.code} fix not applied: {attempt}"
            )
    return best


def _try(
    checker: Checker, path: Path, current: _Accepted, fixes: Sequence[Fix]
) -> _Accepted | str | None:
    """The verified rewrite, a reason it failed verification, or None when
    nothing applied (an overlap that a later round may retry)."""
    text = current.text
    try:
        applied = apply_fixes(text, fixes)
    except RecursionError:
        return "the file is too deeply nested to rewrite"
    new_text = _same_ending(text, applied.text)
    if not applied.applied or new_text == text:
        return None
    if not tree_parses(new_text):
        return "the result would not be valid Python"
    if not _comments_kept(text, new_text):
        return "the result would lose a comment"
    new_analysis = checker.analyze(path, new_text)
    if new_analysis.error is not None:
        return f"the result could not be checked ({new_analysis.error.message})"
    added = _introduced(
        current.analysis, new_analysis, applied.applied, text, applied.text
    )
    if added is not None:
        return f"the result would add {added.code} ({added.message})"
    return _Accepted(new_text, new_analysis, applied.applied)


def _same_ending(before: str, after: str) -> str:
    """`after` ending in the line break `before` ends in.

    LibCST drops the last line break of a file whose lines end in a bare
    carriage return (old Mac style), which would join the file's last line
    with whatever a tool appends next.
    """
    for ending in ("\r\n", "\n", "\r"):
        if before.endswith(ending):
            if not after.endswith(ending) and not after.endswith(("\n", "\r")):
                return after + ending
            return after
    return after


def _introduced(
    before: Analysis,
    after: Analysis,
    applied: tuple[Fix, ...],
    old_text: str,
    new_text: str,
) -> Violation | None:
    """A finding the fix made: on a line it wrote, and not there before, or
    its own fixed finding still (or again) where it wrote. Such a fix is
    refused.

    New findings on lines the fix left alone were uncovered, not made, by
    it (removing a wrong `await` makes the value's type known, and a dropped
    coroutine call on it shows; entering a context manager properly types
    the resource, and a blocking call on it shows): they are reported, and
    fixed in the next round. Findings are matched by code and message, since
    positions move.
    """
    regions = _rewritten_regions(old_text, new_text)
    for fixed in before.violations:
        if fixed.fix not in applied:
            continue
        lines = regions.get(fixed.line)
        if lines is None:
            continue
        for violation in after.violations:
            if violation.code == fixed.code and violation.line in lines:
                return violation
    written = _written_lines(old_text, new_text)
    known = Counter(
        (v.code, v.message) for v in before.violations if v.fix not in applied
    )
    for violation in after.violations:
        if violation.line not in written:
            known[(violation.code, violation.message)] -= 1
    for violation in after.violations:
        key = (violation.code, violation.message)
        if violation.line in written:
            if known[key] <= 0:
                return violation
            known[key] -= 1
    return None


def _rewritten_regions(old: str, new: str) -> dict[int, range]:
    """For each rewritten line of `old` (1-based), the lines of `new` that
    replaced it."""
    # Stripped, as in `_written_lines`: lines a wrap only re-indented are
    # kept lines, and a second finding there was uncovered, not re-created.
    matcher = difflib.SequenceMatcher(
        None,
        [line.strip() for line in old.splitlines()],
        [line.strip() for line in new.splitlines()],
        autojunk=False,
    )
    regions: dict[int, range] = {}
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        replacement = range(new_start + 1, new_end + 1)
        for line in range(old_start + 1, old_end + 1):
            regions[line] = replacement
    return regions


def _written_lines(old: str, new: str) -> set[int]:
    """Lines of `new` (1-based) whose text is new, not kept or re-indented."""
    # Stripped lines, so that a block the fix only indented (wrapping it in
    # `async with`) counts as kept: findings there were uncovered.
    matcher = difflib.SequenceMatcher(
        None,
        [line.strip() for line in old.splitlines()],
        [line.strip() for line in new.splitlines()],
        autojunk=False,
    )
    return {
        line
        for tag, _, _, new_start, new_end in matcher.get_opcodes()
        if tag != "equal"
        for line in range(new_start + 1, new_end + 1)
    }


def _comments(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.string.strip()] += 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _comments_kept(before: str, after: str) -> bool:
    return not (_comments(before) - _comments(after))
