"""Every discovered rule is named, documented, tested both ways and listed.

Per-file rules have fixture projects in tests/fixtures/rules/<CODE>/ (the
format is described in tests/conftest.py). The pytest marker family keeps
its fixture projects in tests/fixtures/markers/: a project fires for a code
when its verdict lists that code, and `not<NNN>_...` projects are its
must-not-fire ones. ASL001 is tested by tests/test_suppression.py.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from asynclint.rules import Rule, all_rules

TESTS = Path(__file__).parent
RULE_FIXTURES = TESTS / "fixtures" / "rules"
MARKER_FIXTURES = TESTS / "fixtures" / "markers"
SUPPRESSION_TESTS = TESTS / "test_suppression.py"
README = TESTS.parent / "README.md"

_CODE = re.compile(r"ASL\d{3}")
_SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+")
_MARKER_FAMILY = frozenset(f"ASL40{n}" for n in range(1, 9))

RULES = list(all_rules())
_IDS = [rule.code for rule in RULES]

# Rules whose must-not-fire fixtures are missing from a location this file
# does not own: strict, so the entry must go once the fixture exists.
MISSING_NEGATIVES: dict[str, str] = {}


def _rule_fixture_names(code: str) -> tuple[list[str], list[str]]:
    """Firing and must-not-fire fixture names of a per-file rule."""
    folder = RULE_FIXTURES / code
    names = sorted(
        p.name for p in folder.glob("*") if p.is_dir() and not p.name.endswith(".fixed")
    )
    negative = [n for n in names if n.startswith("no_")]
    return [n for n in names if n not in negative], negative


def _marker_fixture_names(code: str) -> tuple[list[str], list[str]]:
    """Firing and must-not-fire projects of a marker-family rule."""
    firing, negative = [], []
    for verdict_path in sorted(MARKER_FIXTURES.glob("*/verdict.json")):
        name = verdict_path.parent.name
        verdict = json.loads(verdict_path.read_text("utf-8"))
        if any(f["code"] == code for f in verdict["findings"]):
            firing.append(name)
        elif name.startswith(f"not{code[3:]}_"):
            negative.append(name)
    return firing, negative


def _fixture_names(code: str) -> tuple[list[str], list[str]]:
    if code in _MARKER_FAMILY:
        return _marker_fixture_names(code)
    return _rule_fixture_names(code)


def _params(gaps: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            rule,
            id=rule.code,
            marks=[pytest.mark.xfail(strict=True, reason=gaps[rule.code])]
            if rule.code in gaps
            else [],
        )
        for rule in RULES
    ]


def test_rules_are_discovered() -> None:
    codes = {rule.code for rule in RULES}
    assert {"ASL101", "ASL102", "ASL103", "ASL201", "ASL301", "ASL401"} <= codes


def test_codes_are_unique() -> None:
    assert len({rule.code for rule in RULES}) == len(RULES)
    assert len({rule.slug for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=_IDS)
def test_code_and_slug(rule: type[Rule]) -> None:
    assert _CODE.fullmatch(rule.code), rule.code
    assert _SLUG.fullmatch(rule.slug), rule.slug


@pytest.mark.parametrize("rule", RULES, ids=_IDS)
def test_message_is_one_line_template(rule: type[Rule]) -> None:
    message = rule.message
    assert isinstance(message, str) and message.strip() and "\n" not in message
    fields = [name for _, name, _, _ in string.Formatter().parse(message) if name]
    assert all(name.isidentifier() for name in fields), fields


@pytest.mark.parametrize("rule", RULES, ids=_IDS)
def test_docstring_has_summary_and_explanation(rule: type[Rule]) -> None:
    summary = rule.summary()
    lines = rule.explanation().splitlines()
    assert summary.strip(), "no summary line"
    assert len(lines) >= 3 and not lines[1].strip(), "summary, blank line, then text"
    assert "".join(lines[2:]).strip(), "no explanation after the summary"


@pytest.mark.parametrize("rule", _params(MISSING_NEGATIVES))
def test_has_firing_and_must_not_fire_fixtures(rule: type[Rule]) -> None:
    if rule.code == "ASL001":
        text = SUPPRESSION_TESTS.read_text("utf-8")
        assert "ASL001" in text and "== []" in text
        return
    firing, negative = _fixture_names(rule.code)
    assert firing, f"no firing fixture for {rule.code}"
    assert negative, f"no must-not-fire fixture for {rule.code}"


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.fixable], ids=lambda rule: rule.code
)
def test_a_fixable_rule_has_a_golden_tree(rule: type[Rule]) -> None:
    firing, _ = _fixture_names(rule.code)
    if rule.code in _MARKER_FAMILY:
        goldens = [n for n in firing if (MARKER_FIXTURES / n / "expected").is_dir()]
    else:
        goldens = [
            n for n in firing if (RULE_FIXTURES / rule.code / f"{n}.fixed").is_dir()
        ]
    assert goldens, f"{rule.code} fixes, but no fixture shows a fixed tree"


@pytest.mark.parametrize(
    "code", sorted(p.name for p in RULE_FIXTURES.iterdir() if p.is_dir())
)
def test_at_least_as_many_negatives_as_firing(code: str) -> None:
    firing, negative = _rule_fixture_names(code)
    assert len(negative) >= len(firing), (firing, negative)


@pytest.mark.parametrize(
    "code", sorted(p.name for p in RULE_FIXTURES.iterdir() if p.is_dir())
)
def test_fixture_folder_names_a_rule(code: str) -> None:
    assert code in {rule.code for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=_IDS)
def test_listed_in_readme_rule_table(rule: type[Rule]) -> None:
    rows = [
        line
        for line in README.read_text("utf-8").splitlines()
        if line.lstrip().startswith("|")
    ]
    assert any(rule.code in row and rule.slug in row for row in rows), (
        f"README.md has no table row with {rule.code} and {rule.slug}"
    )


def test_slug_table_names_every_rule() -> None:
    """Output names rules from `SLUGS` without importing them."""
    from asynclint.rules import SLUGS

    assert SLUGS == {rule.code: rule.slug for rule in RULES}
