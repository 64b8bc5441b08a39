"""Runs the marker family on a fixture project the way the engine would."""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from asynclint.markers import MarkerFacts, apply_config_edits, check, file_facts
from asynclint.types import ConfigEdit, RenameAttribute, Violation

_IGNORED_PARTS = {"__pycache__", ".pytest_cache"}


def facts_for(path: Path) -> MarkerFacts | None:
    """Facts of one file, None when it cannot be read or parsed."""
    try:
        source = path.read_text("utf-8")
        return file_facts(ast.parse(source), path, source)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def python_files(root: Path) -> list[Path]:
    """Every Python file of the project, in a stable order."""
    found = sorted(root.rglob("*.py"))
    return [p for p in found if not _IGNORED_PARTS & set(p.parts)]


def run_check(
    root: Path,
    installed: Collection[str] = (),
    descriptions: dict[str, str] | None = None,
) -> list[Violation]:
    """Check every Python file under `root`."""
    facts = {}
    for path in python_files(root):
        found = facts_for(path)
        if found is not None:
            facts[path] = found
    return check(
        facts,
        project_root=root,
        load_facts=facts_for,
        declared_marker_descriptions=descriptions or {},
        installed=installed,
    )


@dataclass(frozen=True)
class Finding:
    """A violation reduced to what fixtures state: code, file and line."""

    code: str
    file: str
    line: int


def findings(root: Path, violations: list[Violation]) -> set[Finding]:
    """The violations as comparable findings."""
    return {
        Finding(v.code, v.path.relative_to(root).as_posix(), v.line) for v in violations
    }


def apply_fixes(violations: list[Violation], root: Path, unsafe: bool = False) -> bool:
    """Apply every safe fix once to the project at `root`; whether anything
    changed."""
    edits: dict[Path, list[ConfigEdit]] = {}
    renames: dict[Path, list[RenameAttribute]] = {}
    for violation in violations:
        fix = violation.fix
        if fix is None or (fix.applicability.value == "unsafe" and not unsafe):
            continue
        if isinstance(fix.replacement, ConfigEdit):
            edits.setdefault(fix.replacement.path, []).append(fix.replacement)
        elif isinstance(fix.replacement, RenameAttribute):
            renames.setdefault(violation.path, []).append(fix.replacement)
    changed = False
    for path, group in edits.items():
        changed |= apply_config_edits(path, group, root).written
    for path, group in renames.items():
        changed |= _rename(path, group)
    return changed


def _rename(path: Path, renames: list[RenameAttribute]) -> bool:
    """A stand-in for the engine's fixer: replace each name range's text."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    for rename in sorted(renames, key=lambda r: r.target.start, reverse=True):
        start, end = rename.target.start, rename.target.end
        line = lines[start.line - 1]
        lines[start.line - 1] = (
            line[: start.column] + rename.new_name + line[end.column :]
        )
    text = "".join(lines)
    path.write_text(text, "utf-8")
    return True


def fix_until_stable(
    root: Path,
    installed: Collection[str] = (),
    descriptions: dict[str, str] | None = None,
    rounds: int = 5,
) -> int:
    """Re-check and fix until nothing changes, like the engine; rounds used."""
    for used in range(1, rounds + 1):
        if not apply_fixes(run_check(root, installed, descriptions), root):
            return used
    raise AssertionError(f"fixes did not settle in {rounds} rounds")
