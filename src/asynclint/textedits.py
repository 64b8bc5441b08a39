"""The text edit a single fix makes, for reports that show edits (JSON, SARIF)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from asynclint.output import TextEdit
from asynclint.types import CodePosition, ConfigEdit, Violation


def edits_for(
    violations: Iterable[Violation], texts: Mapping[Path, str]
) -> dict[Violation, list[TextEdit]]:
    """For each violation with a Python fix: the one span its fix replaces.

    The fix is applied alone to the file's current text and the result is
    compared with the original; the changed span, between the common prefix
    and suffix, is the edit.
    """
    from asynclint.fixer import apply_fixes

    found: dict[Violation, list[TextEdit]] = {}
    for violation in violations:
        fix = violation.fix
        text = texts.get(violation.path)
        if fix is None or text is None or isinstance(fix.replacement, ConfigEdit):
            continue
        outcome = apply_fixes(text, [fix])
        if outcome.applied:
            found[violation] = [_span(text, outcome.text)]
    return found


def _span(old: str, new: str) -> TextEdit:
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return TextEdit(_position(old, start), _position(old, end_old), new[start:end_new])


def _position(text: str, offset: int) -> CodePosition:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return CodePosition(line, column)
