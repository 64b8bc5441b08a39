"""Suppression comments: `# noqa[: CODES]` and `# asynclint: ignore[[CODES]]`.

Only real comments count (found with `tokenize`, so text inside strings is
never a suppression), and a source that does not tokenize has none. A
suppression applies to violations that start on its line; for a statement
spanning several lines that is the line the violation starts on, usually
the statement's first. Codes are matched in full, case-insensitively: `ASL2`
does not suppress `ASL201`. A directive without codes (`# noqa`, `# noqa:`,
`# asynclint: ignore`, `# asynclint: ignore[]`) suppresses every code.
Text after the codes is a free-form reason: `# noqa: ASL101 the client is async`.
"""

from __future__ import annotations

import enum
import io
import logging
import re
import tokenize
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from asynclint import rules
from asynclint.rules.unused_suppression import UnusedSuppression
from asynclint.types import CodePosition, CodeRange, Violation

logger = logging.getLogger(__name__)

_CODE = r"[A-Z]+[0-9]+"
_NOQA = re.compile(
    rf"#\s*noqa\b(?:\s*:\s*(?P<codes>{_CODE}(?:[\s,]+{_CODE})*)?)?", re.IGNORECASE
)
_IGNORE = re.compile(
    r"#\s*asynclint\s*:\s*ignore\b(?:\[(?P<codes>[^\]\n]*)\])?", re.IGNORECASE
)
_SEPARATOR = re.compile(r"[\s,]+")
_OWN_CODE = re.compile(r"ASL[0-9]+")


class DirectiveKind(enum.Enum):
    """Which spelling a suppression comment used."""

    NOQA = "noqa"
    IGNORE = "asynclint: ignore"


@dataclass(frozen=True, slots=True)
class Suppression:
    """One code, or every code when `code` is None, suppressed on one line.

    A comment naming several codes gives one suppression per code, all with
    the `range` of the directive text, so each can be found unused alone.
    """

    id: int
    line: int
    code: str | None
    kind: DirectiveKind
    range: CodeRange
    text: str

    @property
    def is_bare(self) -> bool:
        """Whether this suppression covers every code."""
        return self.code is None

    def covers(self, code: str) -> bool:
        """Whether this suppression applies to violations with `code`."""
        return self.code is None or self.code == code


@dataclass(frozen=True, slots=True)
class Suppressions:
    """Every suppression in one file, in source order."""

    items: tuple[Suppression, ...] = ()

    def on_line(self, line: int) -> tuple[Suppression, ...]:
        """The suppressions written on `line`."""
        return tuple(item for item in self.items if item.line == line)


def parse_suppressions(source: str) -> Suppressions:
    """The suppressions in the comments of `source`; none if it won't tokenize."""
    try:
        comments = [
            token
            for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError) as error:
        logger.debug("no suppressions: source does not tokenize: %s", error)
        return Suppressions()

    items: list[Suppression] = []
    for token in comments:
        line, column = token.start
        for kind, match in _directives(token.string):
            where = CodeRange(
                CodePosition(line, column + match.start()),
                CodePosition(line, column + match.end()),
            )
            for code in _codes(match["codes"]):
                items.append(Suppression(len(items), line, code, kind, where, match[0]))
    return Suppressions(tuple(items))


def apply(
    violations: Iterable[Violation], suppressions: Suppressions
) -> tuple[list[Violation], frozenset[int]]:
    """The violations no suppression covers, and the ids of those that did.

    Every suppression that covers a violation counts as used, so a line
    carrying both `# noqa` and `# asynclint: ignore[...]` reports neither as
    unused. The violations must come from the file the suppressions were
    parsed from.
    """
    by_line = _by_line(suppressions.items)
    kept: list[Violation] = []
    used: set[int] = set()
    for violation in violations:
        covering = [
            item.id
            for item in by_line.get(violation.line, ())
            if item.covers(violation.code)
        ]
        if covering:
            used.update(covering)
        else:
            kept.append(violation)
    return kept, frozenset(used)


def may_report_unused(suppressions: Suppressions) -> bool:
    """Whether `unused` could ever report one of these directives: a bare
    `asynclint: ignore`, or one naming an ASL code. A bare `# noqa` and
    other linters' codes never are (the cache forgets files holding only
    those)."""
    return any(
        _OWN_CODE.fullmatch(item.code)
        if item.code is not None
        else item.kind is DirectiveKind.IGNORE
        for item in suppressions.items
    )


def unused(
    suppressions: Suppressions,
    used: frozenset[int],
    selected: Callable[[str], bool],
    *,
    path: Path,
    include_bare_noqa: bool = False,
) -> list[Violation]:
    """ASL001 violations for the suppressions in `path` that suppressed nothing.

    `selected` says whether a rule code was checked in this run; a code that
    was not is never reported, and a bare directive only when every rule
    was. A bare `# noqa` is reported only with `include_bare_noqa`, because
    it may be there for another linter. Codes of other linters are never
    reported. See `UnusedSuppression` for the whole policy.
    """
    by_line = _by_line(suppressions.items)
    everything = all(
        selected(rule.code)
        for rule in rules.all_rules()
        if rule.code != UnusedSuppression.code
    )
    # Directives with codes go first: a bare one that silences their report
    # has been used, and must not be reported itself.
    directives = sorted(
        _group_by_directive(suppressions.items), key=lambda group: group[0].is_bare
    )
    spent = set(used)
    found: list[Violation] = []
    for directive in directives:
        names = _unused_codes(directive, spent, selected, everything, include_bare_noqa)
        if not names:
            continue
        first = directive[0]
        silencers = _silencers(first, by_line[first.line])
        if silencers:
            spent.update(silencers)
            continue
        found.append(
            UnusedSuppression.violation(path, first.range, codes=", ".join(names))
        )
    return sorted(found, key=Violation.sort_key)


def _directives(comment: str) -> list[tuple[DirectiveKind, re.Match[str]]]:
    found = [(DirectiveKind.NOQA, match) for match in _NOQA.finditer(comment)]
    found += [(DirectiveKind.IGNORE, match) for match in _IGNORE.finditer(comment)]
    return sorted(found, key=lambda pair: pair[1].start())


def _codes(listed: str | None) -> list[str | None]:
    codes = [code.upper() for code in _SEPARATOR.split(listed or "") if code]
    # Duplicates would count as used and unused at once.
    unique: list[str | None] = list(dict.fromkeys(codes))
    return unique or [None]


def _by_line(items: Iterable[Suppression]) -> dict[int, list[Suppression]]:
    by_line: dict[int, list[Suppression]] = {}
    for item in items:
        by_line.setdefault(item.line, []).append(item)
    return by_line


def _group_by_directive(items: Iterable[Suppression]) -> list[list[Suppression]]:
    groups: dict[tuple[DirectiveKind, CodeRange], list[Suppression]] = {}
    for item in items:
        groups.setdefault((item.kind, item.range), []).append(item)
    return list(groups.values())


def _unused_codes(
    directive: Sequence[Suppression],
    used: set[int],
    selected: Callable[[str], bool],
    everything: bool,
    include_bare_noqa: bool,
) -> list[str]:
    first = directive[0]
    if first.is_bare:
        if first.id in used:
            return []
        bare_allowed = first.kind is DirectiveKind.IGNORE or include_bare_noqa
        return ["every code"] if bare_allowed and everything else []

    names: list[str] = []
    for item in directive:
        if item.id in used or item.code is None:
            continue
        if rules.rule_for_code(item.code) is not None:
            if item.code != UnusedSuppression.code and selected(item.code):
                names.append(item.code)
        elif _OWN_CODE.fullmatch(item.code):
            names.append(f"{item.code} (not an asynclint code)")
    return names


def _silencers(reported: Suppression, same_line: Iterable[Suppression]) -> list[int]:
    """The suppressions on the line that cover the ASL001 report itself.

    A bare directive does not silence the report about itself.
    """
    return [
        item.id
        for item in same_line
        if item.covers(UnusedSuppression.code)
        and not (item.is_bare and item.range == reported.range)
    ]
