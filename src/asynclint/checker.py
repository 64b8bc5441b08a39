"""Checking one file: parse, summarise, collect sites, run every file rule."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

from asynclint import suppression
from asynclint.analysis import Analysis, Assumption
from asynclint.config import Settings
from asynclint.context import FileContext
from asynclint.index import ProjectIndex, parse
from asynclint.infer import Inference
from asynclint.library import LibraryModel
from asynclint.newer_syntax import newer_python_hint
from asynclint.rules import all_rules
from asynclint.sites import Sites, collect_sites
from asynclint.summary import ModuleSummary
from asynclint.types import FileError, Violation

# A text pre-filter: a file that mentions none of these is not analysed by
# the file rules. Known gap: a sync-only file (no `async`/`await` anywhere)
# that calls a coroutine function and drops the result, or enters an async
# context manager with a plain `with`, is not reported; such files are rare
# and skipping them keeps a cold run within its budget.
_FILE_RULE_HINTS = (b"async", b"await", b"enter_context", b"setUp", b"setup_")
# Marker facts: a file that mentions pytest, or defines an async test (one
# that never imports pytest still needs an async test plugin, ASL408).
_MARKER_HINTS = (b"pytest", b"async def test")
# What every suppression comment holds, in any case (see suppression.py).
_DIRECTIVE_HINT = re.compile(rb"noqa|asynclint\s*:", re.IGNORECASE)


class Checker:
    """Holds the project index and inference for the files one process checks."""

    def __init__(
        self,
        settings: Settings,
        library: LibraryModel,
        roots: Sequence[Path] = (),
        unused_directives: bool = False,
    ) -> None:
        self.settings = settings
        # Whether a file without findings has its suppression comments read
        # too (only a run that reports unused ones needs them).
        self.unused_directives = unused_directives
        self.index = ProjectIndex(roots or [settings.root])
        self.library = library
        self.rules = [
            rule() for rule in all_rules() if _any_enabled(rule.code, settings)
        ]

    def analyze(
        self,
        path: Path,
        source: str,
        data: bytes | None = None,
        search_first: bool = False,
    ) -> Analysis:
        """Check `source` as the text of `path`; failures become a file error.
        With `search_first` (the file had findings before), the rules run
        with the subclass search from the start."""
        try:
            return self._analyze(path.absolute(), source, data, search_first)
        except RecursionError:
            # The summary, site and rule walks recurse per nesting level, so
            # a deep enough tree that `ast` still builds can exhaust the stack.
            message = "too deeply nested to analyse (Python recursion limit)"
            return _failed(path.absolute(), message)

    def _analyze(
        self, path: Path, source: str, data: bytes | None, search_first: bool
    ) -> Analysis:
        raw = data if data is not None else source.encode("utf-8", "surrogatepass")
        if "\0" in source:
            error = FileError(path, "contains a NUL byte; not a Python source file")
            return Analysis(path, (), error, None, None, ())
        # A migration to async makes every file that calls the target one
        # with coroutines in it, `async` or not.
        wanted_rules = bool(self.settings.migration_targets) or any(
            hint in raw for hint in _FILE_RULE_HINTS
        )
        wanted_markers = any(hint in raw for hint in _MARKER_HINTS)
        known = self.index.cached(path, source)
        try:
            # A file some earlier file imported is already parsed.
            tree = known.tree if known is not None else parse(source, str(path))
        except SyntaxError as error:
            message = f"syntax error: {error.msg}"
            hint = newer_python_hint(_line(source, error.lineno))
            if hint is not None:
                message = f"{message} ({hint})"
            failure = FileError(path, message, error.lineno or 1, error.offset or 1)
            return Analysis(path, (), failure, None, None, ())
        except (RecursionError, MemoryError):
            return _failed(path, "too deeply nested to parse")
        except ValueError as error:
            return _failed(path, f"cannot parse: {error}")
        facts = None
        if wanted_markers:
            from asynclint import markers  # loaded only for files that mention pytest

            facts = markers.file_facts(tree, path, source)
        violations: list[Violation] = []
        deps: tuple[Path, ...] = ()
        assumed: tuple[Assumption, ...] = ()
        if wanted_rules or wanted_markers:
            module = known or self.index.summarize_tree(path, tree, source, raw)
            sites = collect_sites(module)
            # Looking for subclasses that redefine a method as the other
            # kind reads every file defining its name; it can only turn
            # a finding into silence, so the rules run again with it only
            # when a first run without it found something and took some
            # method as defined (a migration's rule is not that simple: it
            # reports a call it cannot resolve, so it searches at once).
            targets = self.settings.migration_targets
            try:
                violations, inference = self._run_rules(
                    path, source, module, sites, bool(targets) or search_first
                )
                if violations and inference.unsearched:
                    violations, inference = self._run_rules(
                        path, source, module, sites, subclasses=True
                    )
            except RecursionError:
                failure = FileError(path, "too deeply nested to analyse")
                return Analysis(path, (), failure, facts, None, ())
            deps = tuple(sorted(p for p in inference.touched if p != path))
            assumed = tuple(sorted((*key, d) for key, d in inference.assumed.items()))
            del inference
            self.index.release(path)
            self.index.dispose_retired()
        # Suppressions are read where they can matter: a file with findings,
        # or, in a run that reports unused ones, any file. Text that cannot
        # spell a directive has none, and is not tokenized to find that out.
        notes: suppression.Suppressions | None = None
        if (violations or self.unused_directives) and _DIRECTIVE_HINT.search(raw):
            notes = suppression.parse_suppressions(source)
        elif violations:
            notes = suppression.Suppressions()
        violations = [v for v in violations if self.settings.enabled(v.code)]
        violations.sort(key=Violation.sort_key)
        unique = tuple(_unique(violations))
        return Analysis(path, unique, None, facts, notes, deps, assumed)

    def _run_rules(
        self,
        path: Path,
        source: str,
        module: ModuleSummary,
        sites: Sites,
        subclasses: bool,
    ) -> tuple[list[Violation], Inference]:
        """Every file rule's violations, and the inference that found them.

        Without the subclass search, the run stops at the point where it is
        sure to be run again with it: a violation found and some method
        taken as defined."""
        inference = Inference(self.index, self.library, subclasses)
        inference.shadowed = sites.shadowed
        context = FileContext(
            path, source, module, sites, inference, self.settings.migration_targets
        )
        violations: list[Violation] = []
        for rule in self.rules:
            for violation in rule.check(context):
                violations.append(violation)
                if inference.unsearched:
                    return violations, inference
            if violations and inference.unsearched:
                return violations, inference
        return violations, inference


def _line(source: str, number: int | None) -> str:
    lines = source.splitlines()
    return lines[number - 1] if number and 0 < number <= len(lines) else ""


def _failed(path: Path, message: str) -> Analysis:
    return Analysis(path, (), FileError(path, message), None, None, ())


def _unique(violations: list[Violation]) -> list[Violation]:
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for violation in violations:
        key = (violation.line, violation.column, violation.code)
        if key not in seen:
            seen.add(key)
            unique.append(violation)
    return unique


def _any_enabled(code: str, settings: Settings) -> bool:
    return settings.enabled(code)


def tree_parses(source: str) -> bool:
    """Whether `source` is valid Python for this interpreter."""
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
