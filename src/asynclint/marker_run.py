"""The pytest marker family's part of a run: judged over the project once
every file is checked, suppressed by the directives of the files the
findings are in, and with fixing, applied to configs and test files
(several rounds: a fix may uncover another)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import suppression
from asynclint.analysis import Analysis
from asynclint.config import Settings
from asynclint.index import decode_source, parse
from asynclint.types import Applicability, ConfigEdit, FileError, Violation

if TYPE_CHECKING:
    from asynclint import markers
    from asynclint.engine import RunOptions, RunResult


def judge_markers(
    analyses: dict[Path, Analysis],
    clean: set[str],
    settings: Settings,
    options: RunOptions,
    result: RunResult,
    used: dict[Path, set[int]],
) -> None:
    facts = {p: a.facts for p, a in analyses.items() if a.facts is not None}
    if not facts:
        return
    from asynclint import markers  # only runs that meet test files need it

    loaded: dict[Path, markers.MarkerFacts | None] = {}

    def load_facts(path: Path) -> markers.MarkerFacts | None:
        path = path.absolute()
        if path in analyses and analyses[path].facts is not None:
            return analyses[path].facts
        if path not in loaded:
            loaded[path] = _facts_of(path)
        return loaded[path]

    for _round in range(4):
        found = markers.check(
            facts,
            project_root=settings.root,
            load_facts=load_facts,
            declared_marker_descriptions=settings.marker_descriptions,
        )
        found = [
            v
            for v in found
            if settings.enabled(v.code) and settings.reports(v.path, v.code)
        ]
        found = _suppress_markers(found, analyses, clean, result, options, used)
        if not options.fix:
            result.violations.extend(found)
            return
        if not _apply_marker_fixes(found, options, result, settings.root):
            result.violations.extend(found)
            return
        facts = _refresh_facts(facts, result)


def _suppress_markers(
    found: list[Violation],
    analyses: dict[Path, Analysis],
    clean: set[str],
    result: RunResult,
    options: RunOptions,
    used: dict[Path, set[int]],
) -> list[Violation]:
    """Drop marker findings that a directive on their line covers.

    The directives come from the file's analysis, or are read from the text
    the run holds for it (fixed text, the stdin buffer), or from disk.
    """
    kept = []
    for violation in found:
        notes = _notes_for(violation.path, analyses, clean, result, options)
        if notes is None:
            kept.append(violation)
            continue
        remaining, spent = suppression.apply([violation], notes)
        used.setdefault(violation.path, set()).update(spent)
        kept.extend(remaining)
    return kept


def _notes_for(
    path: Path,
    analyses: dict[Path, Analysis],
    clean: set[str],
    result: RunResult,
    options: RunOptions,
) -> suppression.Suppressions | None:
    analysis = analyses.get(path)
    if analysis is not None and analysis.suppressions is not None:
        return analysis.suppressions
    if path.suffix != ".py" or (analysis is None and str(path) not in clean):
        return None
    if path in result.new_texts:
        text = result.new_texts[path][1]
    elif options.stdin_text is not None:
        text = options.stdin_text
    else:
        try:
            text = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
            return None
    return suppression.parse_suppressions(text)


def _apply_marker_fixes(
    found: list[Violation], options: RunOptions, result: RunResult, root: Path
) -> bool:
    """Apply config edits and marker renames; True when something changed.

    A config file that cannot or must not be written (a link out of `root`,
    a file that is not UTF-8) keeps its findings and gets a file error.
    """
    from asynclint.fixer import apply_fixes

    edits: dict[Path, list[ConfigEdit]] = {}
    renames: dict[Path, list[Violation]] = {}
    for violation in found:
        fix = violation.fix
        if fix is None:
            continue
        if fix.applicability is Applicability.UNSAFE and not options.unsafe_fixes:
            continue
        if isinstance(fix.replacement, ConfigEdit):
            edits.setdefault(fix.replacement.path, []).append(fix.replacement)
        else:
            renames.setdefault(violation.path, []).append(violation)
    from asynclint import markers

    changed = False
    for path, file_edits in edits.items():
        previous = result.config_texts.get(path)
        before = previous[1] if previous is not None else markers.config_text(path)
        if before is None:
            continue
        if options.write:
            written = markers.apply_config_edits(path, file_edits, root)
            if written.problem is not None and path not in result.unwritten:
                result.errors.append(FileError(path, written.problem))
                result.unwritten.append(path)
            after = markers.config_text(path)
            if not written.written or after is None:
                continue
        else:
            after = markers.edit_config_text(before, path, file_edits)
            if after == before:
                continue
        changed = True
        original = previous[0] if previous else before
        result.config_texts[path] = (original, after)
        result.fixed.extend(
            v for v in found if v.fix and v.fix.replacement in file_edits
        )
    for path, violations in renames.items():
        current = result.new_texts.get(path)
        text = current[1] if current else decode_source(path.read_bytes())
        outcome = apply_fixes(text, [v.fix for v in violations if v.fix])
        if outcome.applied and _parses(outcome.text):
            changed = True
            original = current[0] if current else text
            result.new_texts[path] = (original, outcome.text)
            result.fixed.extend(v for v in violations if v.fix in outcome.applied)
    return changed


def _parses(text: str) -> bool:
    try:
        parse(text, "<fixed>")
    except (SyntaxError, ValueError):
        return False
    return True


def _refresh_facts(
    facts: dict[Path, markers.MarkerFacts], result: RunResult
) -> dict[Path, markers.MarkerFacts]:
    from asynclint import markers

    refreshed = dict(facts)
    for path, (_, text) in result.new_texts.items():
        if path in refreshed:
            refreshed[path] = markers.file_facts(parse(text, str(path)), path)
    return refreshed


def _facts_of(path: Path) -> markers.MarkerFacts | None:
    from asynclint import markers

    try:
        text = decode_source(path.read_bytes())
        return markers.file_facts(parse(text, str(path)), path)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError, LookupError):
        return None
