"""The fix loop for one file: apply, verify, re-check, until nothing changes."""

from __future__ import annotations

import io
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.checker import Analysis, Checker, tree_parses
from asynclint.types import Applicability, ConfigEdit, Fix, RenameAttribute, Violation

_MAX_ROUNDS = 5


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


def fixable(violation: Violation, unsafe: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` if `unsafe`) applies this fix here."""
    fix = violation.fix
    if fix is None or isinstance(fix.replacement, (ConfigEdit, RenameAttribute)):
        return False
    return unsafe or fix.applicability is Applicability.SAFE


def fix_file(
    checker: Checker, path: Path, text: str, analysis: Analysis, unsafe: bool
) -> FileFix:
    """Apply fixes to `text` round by round; every round's output must parse,
    keep every comment and add no violation, or its fixes are dropped."""
    outcome = FileFix(analysis, text, text)
    current, current_analysis = text, analysis
    for _ in range(_MAX_ROUNDS):
        candidates = [v for v in current_analysis.violations if fixable(v, unsafe)]
        if not candidates:
            break
        accepted = _round(checker, path, current, current_analysis, candidates, outcome)
        if accepted is None:
            break
        current, current_analysis, applied = accepted
        outcome.fixed.extend(applied)
    outcome.text = current
    outcome.analysis = current_analysis
    if current != text:
        checker.index.override(path, current)
    return outcome


def _round(
    checker: Checker,
    path: Path,
    text: str,
    analysis: Analysis,
    candidates: list[Violation],
    outcome: FileFix,
) -> tuple[str, Analysis, list[Violation]] | None:
    result = _try(checker, path, text, analysis, [v.fix for v in candidates if v.fix])
    if result is None:
        # Some fix in the batch is bad: keep the ones that are fine alone.
        good = []
        for violation in candidates:
            assert violation.fix is not None
            if _try(checker, path, text, analysis, [violation.fix]) is not None:
                good.append(violation.fix)
            else:
                outcome.warnings.append(
                    f"{path}:{violation.line}:{violation.column}: "
                    f"{violation.code} fix not applied: the result failed verification"
                )
        if not good:
            return None
        result = _try(checker, path, text, analysis, good)
        if result is None:
            return None
    new_text, new_analysis, applied = result
    fixed = [v for v in candidates if v.fix in applied]
    return new_text, new_analysis, fixed


def _try(
    checker: Checker, path: Path, text: str, analysis: Analysis, fixes: list[Fix]
) -> tuple[str, Analysis, tuple[Fix, ...]] | None:
    from asynclint.fixer import apply_fixes  # LibCST loads only when fixing

    applied = apply_fixes(text, fixes)
    if not applied.applied or applied.text == text:
        return None
    if not tree_parses(applied.text) or not _comments_kept(text, applied.text):
        return None
    new_analysis = checker.analyze(path, applied.text)
    if new_analysis.error is not None:
        return None
    if _introduces(analysis, new_analysis, applied.applied):
        return None
    return applied.text, new_analysis, applied.applied


def _introduces(before: Analysis, after: Analysis, applied: tuple[Fix, ...]) -> bool:
    """True when the fixed text has a finding the original did not have.

    Findings are compared by code and message, since positions move.
    """
    old = Counter((v.code, v.message) for v in before.violations if v.fix not in applied)
    new = Counter((v.code, v.message) for v in after.violations)
    return bool(new - old)


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
