"""The text edits of fixes, for reports that show them (JSON, SARIF).

Each fix is turned into the edits `--fix` would make for it alone, against
the text its violation's positions are in. Fixes the fixer applies wherever
their node is found (remove `await`, turn `async with` into `with`, rename
a marker) become edits straight from their ranges, with no parse. The
others (add `await` or `async`, which the fixer refuses outside an `async
def` body; `async with ... as x:` around the rest of a block;
`asyncio.to_thread` with the import it adds; close-then-wait) are made by
the fixer itself, each fix applied alone to its file (parsed once per
file), and refused as the fix loop refuses them when the result does not
parse or loses a comment. A config edit (registering a marker, renaming a
section) is made by the markers package on the config's text, and its
edits name that file. A rewrite becomes one edit per stretch of changed
lines, trimmed to the characters that differ.

A fix the fixer cannot apply alone, or whose result it refuses, gets no
edits: `--fix` would not apply it either. (The fix loop's last check, that
the result adds no finding, needs the whole analysis and is not made.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from asynclint.edit_memo import EditMemo, digest
from asynclint.linediff import changed_blocks
from asynclint.output import TextEdit
from asynclint.types import (
    CodePosition,
    ConfigEdit,
    Fix,
    MakeWithSync,
    RemoveAwait,
    RenameAttribute,
    Violation,
)

_AWAIT = re.compile(r"await\b\s*")
_ASYNC = re.compile(r"async\b\s*")


def edits_for(
    violations: Iterable[Violation],
    texts: Mapping[Path, str],
    config_texts: Mapping[Path, str] | None = None,
    memo: EditMemo | None = None,
) -> dict[Violation, list[TextEdit]]:
    """For each violation with a fix: the edits that fix makes.

    `texts` holds the text of each Python file the violations are in;
    `config_texts` the text of a config file where it is not the one on
    disk (a run that only shows its fixes). A config file that does not
    exist is one the fix would create. The fixer-made edits are looked up
    in `memo` first, and what is made is added to it.
    """
    found: dict[Violation, list[TextEdit]] = {}
    rewrites: dict[Path, list[Violation]] = {}
    lines: dict[Path, list[str]] = {}
    # One marker used in many tests makes the same config edit many times.
    registrations: dict[ConfigEdit, list[TextEdit]] = {}
    for violation in violations:
        fix = violation.fix
        if fix is None:
            continue
        edit = fix.replacement
        if isinstance(edit, ConfigEdit):
            if edit not in registrations:
                registrations[edit] = _config_edits(edit, config_texts or {})
            found[violation] = registrations[edit]
            continue
        text = texts.get(violation.path)
        if text is None:
            continue
        if violation.path not in lines:
            lines[violation.path] = text.split("\n")
        edits = _direct(fix, lines[violation.path])
        if edits is not None:
            found[violation] = edits
        else:
            rewrites.setdefault(violation.path, []).append(violation)
    for path, rewritten in rewrites.items():
        found.update(_remembered(texts[path], rewritten, memo or EditMemo(None)))
    return found


def _remembered(
    text: str, violations: Sequence[Violation], memo: EditMemo
) -> dict[Violation, list[TextEdit]]:
    """`_rewritten`, made only for the violations `memo` does not hold."""
    key = digest(text)
    found: dict[Violation, list[TextEdit]] = {}
    missing: list[Violation] = []
    for violation in violations:
        kept = memo.get((key, violation))
        if kept is None:
            missing.append(violation)
        else:
            found[violation] = kept
    if missing:
        for violation, edits in _rewritten(text, missing).items():
            memo.put((key, violation), edits)
            found[violation] = edits
    return found


def _direct(fix: Fix, lines: list[str]) -> list[TextEdit] | None:
    replacement = fix.replacement
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
    if isinstance(replacement, RenameAttribute):
        return [TextEdit(start, target.end, replacement.new_name)]
    return None


def _rewritten(
    text: str, violations: Sequence[Violation]
) -> dict[Violation, list[TextEdit]]:
    """The edits the fixer makes, each fix applied alone."""
    from asynclint.fixer import each_alone
    from asynclint.fixing import same_ending, text_problem
    from asynclint.statement_stretches import StatementLayout

    found: dict[Violation, list[TextEdit]] = {v: [] for v in violations}
    try:
        parsed = each_alone(text, [v.fix for v in violations if v.fix is not None])
    except RecursionError:
        return found  # too deeply nested to rewrite: the fix loop refuses it too
    if parsed is None:
        return found
    module, rewrites = parsed
    layout = StatementLayout(text, module)
    for violation in violations:
        assert violation.fix is not None
        after = rewrites[violation.fix]
        if after is None:
            continue
        stretches = layout.stretches(after)
        if stretches and stretches[-1].start + len(stretches[-1].old) == len(text):
            last = stretches[-1]
            stretches[-1] = replace(last, new=same_ending(last.old, last.new))
        if any(text_problem(s.old, s.new) is not None for s in stretches):
            continue
        found[violation] = [
            _shifted(edit, _position(text, stretch.start))
            for stretch in stretches
            for edit in edits_between(stretch.old, stretch.new)
        ]
    return found


def _shifted(edit: TextEdit, origin: CodePosition) -> TextEdit:
    """`edit`, made against a stretch of text, placed where the stretch
    starts (`origin`)."""

    def moved(position: CodePosition) -> CodePosition:
        column = position.column + (origin.column if position.line == 1 else 0)
        return CodePosition(origin.line + position.line - 1, column)

    return replace(edit, start=moved(edit.start), end=moved(edit.end))


def _config_edits(edit: ConfigEdit, texts: Mapping[Path, str]) -> list[TextEdit]:
    from asynclint import markers

    before = texts.get(edit.path)
    if before is None:
        try:
            before = edit.path.read_bytes().decode("utf-8", "surrogateescape")
        except FileNotFoundError:
            before = ""
    after = markers.edit_config_text(before, edit.path, [edit])
    return edits_between(before, after, edit.path)


def edits_between(old: str, new: str, path: Path | None = None) -> list[TextEdit]:
    """The edits that turn `old` into `new`: one per stretch of changed
    lines, trimmed to the characters that differ."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_starts = _line_starts(old_lines)
    new_starts = _line_starts(new_lines)
    edits = []
    for block in changed_blocks(old_lines, new_lines):
        first, last = old_starts[block.old_start], old_starts[block.old_end]
        begin, end = new_starts[block.new_start], new_starts[block.new_end]
        while first < last and begin < end and old[first] == new[begin]:
            first, begin = first + 1, begin + 1
        while last > first and end > begin and old[last - 1] == new[end - 1]:
            last, end = last - 1, end - 1
        start_at, end_at = _position(old, first), _position(old, last)
        edits.append(TextEdit(start_at, end_at, new[begin:end], path))
    return edits


def _line_starts(lines: list[str]) -> list[int]:
    """The offset where each line starts, and the text's length last."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _position(text: str, offset: int) -> CodePosition:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return CodePosition(line, column)
