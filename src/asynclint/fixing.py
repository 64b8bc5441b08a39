"""The fix loop for one file: apply, verify, re-check, until nothing changes."""

from __future__ import annotations

import io
import tokenize
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asynclint import suppression
from asynclint.analysis import Analysis
from asynclint.checker import Checker, tree_parses
from asynclint.fixer import apply_fixes
from asynclint.linediff import ChangedBlock, changed_blocks
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
    wanted_in: Callable[[str], Callable[[Violation], bool]] | None = None,
) -> FileFix:
    """Apply fixes to `text` round by round; every round's output must parse,
    keep every comment and add no violation, or its fixes are dropped.

    Suppressed findings, and those `wanted` rejects, are never fixed; nor,
    with `wanted_in`, those that `wanted_in(text)` rejects, for the text of
    each round (a filter by position must see the text that positions are in).
    """
    outcome = FileFix(analysis, text, text)
    current = _Accepted(text, analysis, ())
    rejected: set[tuple[str, str]] = set()
    tried = False
    for _ in range(_MAX_ROUNDS):
        keep = wanted if wanted_in is None else _both(wanted, wanted_in(current.text))
        candidates = [
            v
            for v in _reported(current.analysis, keep)
            if fixable(v, unsafe) and (v.code, v.message) not in rejected
        ]
        if not candidates:
            break
        tried = True
        accepted = _round(checker, path, current, candidates, outcome, rejected)
        if accepted is None:
            # Nothing of this round verified or applied: no later run does
            # better, so none of these is fixable.
            rejected.update((v.code, v.message) for v in candidates)
            break
        applied = set(accepted.applied)
        outcome.fixed.extend(v for v in candidates if v.fix in applied)
        current = accepted
    outcome.text = current.text
    outcome.analysis = _without_fixes(current.analysis, rejected, unsafe)
    if current.text != text:
        checker.index.override(path, current.text)
    elif tried:
        # What the index holds of `path` may be a refused rewrite's.
        checker.index.forget(path)
    return outcome


def _without_fixes(
    analysis: Analysis, refused: set[tuple[str, str]], unsafe: bool
) -> Analysis:
    """`analysis` with no fix on the findings the loop refused to fix: a
    fix that `--fix` does not apply is not reported as one (the summary
    would count it as fixable on every run)."""
    if not refused:
        return analysis
    violations = tuple(
        replace(v, fix=None)
        if fixable(v, unsafe) and (v.code, v.message) in refused
        else v
        for v in analysis.violations
    )
    return replace(analysis, violations=violations)


def _both(
    first: Callable[[Violation], bool] | None, second: Callable[[Violation], bool]
) -> Callable[[Violation], bool]:
    if first is None:
        return second
    return lambda violation: first(violation) and second(violation)


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
    """One round: all fixes together, else as many of them as verify."""
    fixes = [v.fix for v in candidates if v.fix is not None]
    together = _try(checker, path, current, fixes)
    if isinstance(together, _Accepted):
        return together
    narrowing = _Narrowing(checker, path, current, outcome, rejected)
    narrowing.narrow(candidates, together)
    return narrowing.best


@dataclass(slots=True)
class _Narrowing:
    """The search, in a batch that failed verification, for what verifies.

    Some fix in the batch is bad (or two clash). The first half of the batch
    is tried on top of what is kept so far: kept if it verifies, else halved
    in turn, down to single fixes, which are refused with their reason. Then
    the second half, except that it is halved at once when the first one
    verified, since the batch failed. A few bad fixes among many then cost a
    few rewrites each, where trying the fixes one by one cost a rewrite and
    an analysis of the whole file per fix.
    """

    checker: Checker
    path: Path
    current: _Accepted
    outcome: FileFix
    rejected: set[tuple[str, str]]
    best: _Accepted | None = None

    def narrow(self, batch: list[Violation], failure: str | None) -> None:
        """Keep what verifies of `batch`, which failed with `failure` (None:
        nothing in it applied, an overlap that a later round may retry)."""
        if failure is None:
            return
        if len(batch) == 1:
            self._refuse(batch[0], failure)
            return
        self._halve(batch)

    def _halve(self, batch: list[Violation]) -> None:
        middle = len(batch) // 2
        if self._settle(batch[:middle]):
            self._split(batch[middle:])
        else:
            self._settle(batch[middle:])

    def _split(self, batch: list[Violation]) -> None:
        """Narrow `batch`, which is likely to fail, without trying it whole."""
        if len(batch) == 1:
            self._settle(batch)
        else:
            self._halve(batch)

    def _settle(self, batch: list[Violation]) -> bool:
        """Keep `batch` if it verifies on top of what is kept (and say so),
        else narrow it."""
        kept = self.best.applied if self.best is not None else ()
        fixes = [v.fix for v in batch if v.fix is not None]
        attempt = _try(self.checker, self.path, self.current, [*kept, *fixes])
        if isinstance(attempt, _Accepted):
            self.best = attempt
            return True
        self.narrow(batch, attempt)
        return False

    def _refuse(self, violation: Violation, reason: str) -> None:
        self.rejected.add((violation.code, violation.message))
        self.outcome.warnings.append(
            f"{self.path}:{violation.line}:{violation.column}: "
            f"{violation.code} fix not applied: {reason}"
        )


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
    new_text = same_ending(text, applied.text)
    if not applied.applied or new_text == text:
        return None
    problem = text_problem(text, new_text)
    if problem is not None:
        return problem
    new_analysis = checker.analyze(path, new_text)
    if new_analysis.error is not None:
        return f"the result could not be checked ({new_analysis.error.message})"
    added = _introduced(
        current.analysis, new_analysis, applied.applied, text, applied.text
    )
    if added is not None:
        return f"the result would add {added.code} ({added.message})"
    return _Accepted(new_text, new_analysis, applied.applied)


def text_problem(before: str, after: str) -> str | None:
    """Why the text a rewrite made of `before` is refused, before any
    re-check: it does not parse, or it loses a comment."""
    if not tree_parses(after):
        return "the result would not be valid Python"
    if not _comments_kept(before, after):
        return "the result would lose a comment"
    return None


def same_ending(before: str, after: str) -> str:
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
    its own fixed finding still (or again) where it wrote: any finding of
    that code there, beyond the ones of other fixes not applied, on the
    lines it replaced. Such a fix is refused.

    New findings on lines the fix left alone were uncovered, not made, by
    it (removing a wrong `await` makes the value's type known, and a dropped
    coroutine call on it shows; entering a context manager properly types
    the resource, and a blocking call on it shows): they are reported, and
    fixed in the next round. Findings are matched by code and message, since
    positions move.
    """
    blocks = _rewritten_blocks(old_text, new_text)
    applied_set = set(applied)
    remaining = _own_finding_left(before, after, blocks, applied_set)
    if remaining is not None:
        return remaining
    written = _written_lines(blocks)
    known = Counter(
        (v.code, v.message) for v in before.violations if v.fix not in applied_set
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


def _own_finding_left(
    before: Analysis,
    after: Analysis,
    blocks: list[ChangedBlock],
    applied: set[Fix],
) -> Violation | None:
    """A finding with the code of an applied fix's own, on the lines that
    replaced the fix's line; one that was there before, unfixed and on the
    lines replaced, with the same code and message, is not the fix's."""
    old_block: dict[int, int] = {}
    new_block: dict[int, int] = {}
    for number, block in enumerate(blocks):
        old_lines = range(block.old_start + 1, block.old_end + 1)
        old_block.update(dict.fromkeys(old_lines, number))
        new_lines = range(block.new_start + 1, block.new_end + 1)
        new_block.update(dict.fromkeys(new_lines, number))
    fixed_codes: dict[int, set[str]] = {}
    spared: dict[int, Counter[tuple[str, str]]] = {}
    for violation in before.violations:
        was_in = old_block.get(violation.line)
        if was_in is None:
            continue
        if violation.fix in applied:
            fixed_codes.setdefault(was_in, set()).add(violation.code)
        else:
            key = (violation.code, violation.message)
            spared.setdefault(was_in, Counter())[key] += 1
    for violation in after.violations:
        now_in = new_block.get(violation.line)
        if now_in is None or violation.code not in fixed_codes.get(now_in, ()):
            continue
        left = spared.get(now_in, Counter())
        key = (violation.code, violation.message)
        if left[key] <= 0:
            return violation
        left[key] -= 1
    return None


def _rewritten_blocks(old: str, new: str) -> list[ChangedBlock]:
    """The stretches of lines the rewrite changed, compared stripped."""
    # Stripped lines, so that a block the fix only indented (wrapping it in
    # `async with`) counts as kept: findings there were uncovered, not made.
    return changed_blocks(
        [line.strip() for line in old.splitlines()],
        [line.strip() for line in new.splitlines()],
    )


def _written_lines(blocks: list[ChangedBlock]) -> set[int]:
    """Lines of the new text (1-based) whose text is new, not kept or
    re-indented."""
    return {
        line
        for block in blocks
        for line in range(block.new_start + 1, block.new_end + 1)
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
