"""The report: everything one run hands to the renderers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.types import CodePosition, FileError, Violation


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text from `start` up to `end` by `content`, in the file
    at `path`, or (None) in the file of the violation the edit fixes."""

    start: CodePosition
    end: CodePosition
    content: str
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """What remains, what failed and what was fixed in one run.

    `violations` are the ones still present, sorted; `fixed` are the ones
    whose fixes were applied (the engine may leave it empty and only count
    them in `fixed_count`). `edits` holds the text edits of a violation's
    fix where they were computed (textedits.py, for JSON and SARIF; the
    other formats show none). `unsafe_fixes` says whether unsafe
    fixes were enabled, which changes what `--fix` alone would apply.
    `missing` are the given paths that name nothing, so were not checked.
    `preview` says the fixes were only shown (`--diff`): `fixed` and
    `fixed_count` then tell what `--fix` would fix, and `violations` what
    it would leave. `unwritten` are the checked files whose fixes could not
    be written; each also has an entry in `errors`, saying why.
    """

    violations: Sequence[Violation] = ()
    errors: Sequence[FileError] = ()
    fixed_count: int = 0
    edits: Mapping[Violation, Sequence[TextEdit]] = field(default_factory=dict)
    cwd: Path = field(default_factory=Path.cwd)
    show_fixes: bool = False
    color: bool = False
    fixed: Sequence[Violation] = ()
    unsafe_fixes: bool = False
    missing: Sequence[Path] = ()
    preview: bool = False
    unwritten: Sequence[Path] = ()

    def in_order(self) -> list[Violation | FileError]:
        """Violations and file errors together, by path and then position."""
        entries: list[Violation | FileError] = [*self.violations, *self.errors]
        # A stable sort keeps the engine's order among violations at one place.
        return sorted(entries, key=_position_key)


def _position_key(entry: Violation | FileError) -> tuple[str, int, int]:
    return (entry.path.as_posix(), entry.line, entry.column)
