"""The text edits of fixes, for reports that show them (JSON, SARIF).

Single-span fixes (remove or add `await`, switch `with` and `async with`,
rename a marker) are turned into edits straight from their ranges, with no
parse, so a report costs nothing extra. Block rewrites (`async with ... as
x:` around the rest of a block, `asyncio.to_thread`, close-then-wait) are
computed by applying the fix with LibCST, only in runs that fix or diff
(where the rewritten text already exists); a plain check lists them with
no edits rather than parse every file that has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from asynclint.output import TextEdit
from asynclint.types import (
    AddAwait,
    CodePosition,
    ConfigEdit,
    MakeWithAsync,
    MakeWithSync,
    RemoveAwait,
    RenameAttribute,
    Violation,
)

_AWAIT = re.compile(r"await\b\s*")
_ASYNC = re.compile(r"async\b\s*")


def edits_for(
    violations: Iterable[Violation], texts: Mapping[Path, str], rewrite: bool = False
) -> dict[Violation, list[TextEdit]]:
    """For each violation with a Python fix: the edits that fix makes.

    With `rewrite`, block rewrites are computed too (by applying the fix
    alone and taking the changed span).
    """
    found: dict[Violation, list[TextEdit]] = {}
    for violation in violations:
        fix = violation.fix
        text = texts.get(violation.path)
        if fix is None or text is None or isinstance(fix.replacement, ConfigEdit):
            continue
        edits = _direct(fix.replacement, text.split("\n"))
        if edits is None and rewrite:
            edits = _by_rewrite(fix, text)
        if edits:
            found[violation] = edits
    return found


def _direct(replacement: object, lines: list[str]) -> list[TextEdit] | None:
    target = getattr(replacement, "target", None)
    if target is None:
        return None
    start = target.start
    line = lines[start.line - 1] if 0 < start.line <= len(lines) else ""
    if isinstance(replacement, (RemoveAwait, MakeWithSync)):
        pattern = _AWAIT if isinstance(replacement, RemoveAwait) else _ASYNC
        match = pattern.match(line, start.column)
        if match is None:
            return None
        end = CodePosition(start.line, match.end())
        return [TextEdit(start, end, "")]
    if isinstance(replacement, MakeWithAsync):
        return [TextEdit(start, start, "async ")]
    if isinstance(replacement, AddAwait):
        end_line = lines[target.end.line - 1] if target.end.line <= len(lines) else ""
        after = end_line[target.end.column : target.end.column + 1]
        if after in (".", "[", "("):
            # The call is a base: `(await f()).x`.
            return [
                TextEdit(start, start, "(await "),
                TextEdit(target.end, target.end, ")"),
            ]
        return [TextEdit(start, start, "await ")]
    if isinstance(replacement, RenameAttribute):
        return [TextEdit(start, target.end, replacement.new_name)]
    return None


def _by_rewrite(fix: object, text: str) -> list[TextEdit] | None:
    from asynclint.fixer import apply_fixes

    outcome = apply_fixes(text, [fix])  # type: ignore[list-item]
    if not outcome.applied:
        return None
    return [_span(text, outcome.text)]


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
