"""Every rule fixture project: exact findings, golden fixed tree, idempotence.

The fixture format is described in tests/conftest.py.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import tokenize
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from asynclint.fixer import apply_fixes
from asynclint.types import (
    Applicability,
    CodePosition,
    CodeRange,
    Fix,
    OffloadToThread,
)

RULE_FIXTURES = Path(__file__).parent / "fixtures" / "rules"
GOLDEN_SUFFIX = ".fixed"
_MARKER = re.compile(r"#\s*error:\s*(?P<codes>ASL\d{3}(?:\s*,\s*ASL\d{3})*)\s*$")
_CACHES = ("__pycache__", ".asynclint_cache")
_SKIPPED = shutil.ignore_patterns(*_CACHES)

Finding = tuple[str, int, str]
Runner = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class RuleFixture:
    """One fixture project under tests/fixtures/rules/<code>/."""

    code: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def key(self) -> str:
        return f"{self.code}/{self.name}"

    @property
    def golden(self) -> Path:
        return self.path.with_name(self.path.name + GOLDEN_SUFFIX)

    @property
    def fix_options(self) -> tuple[str, ...]:
        unsafe = self.name.startswith("unsafe_")
        return ("--fix", "--unsafe-fixes") if unsafe else ("--fix",)


def _fixtures() -> list[RuleFixture]:
    found = []
    for code_dir in sorted(p for p in RULE_FIXTURES.iterdir() if p.is_dir()):
        for project in sorted(p for p in code_dir.iterdir() if p.is_dir()):
            if not project.name.endswith(GOLDEN_SUFFIX):
                found.append(RuleFixture(code_dir.name, project))
    return found


FIXTURES = _fixtures()

_DISPATCH_GAP = (
    "an undecided type dispatch in a helper is never followed, even when "
    "every side of it blocks (`requests.get` for a str and for an object)"
)

_NAMED_MAPPING_GAP = (
    "a `**` mapping bound to a name first is not read (code between may "
    "change it), so a literal in it that takes the helper's early return "
    "is not seen"
)

# Fixtures the analysis gets wrong today, by id: the findings test (and,
# in KNOWN_FIX_GAPS, the fix test against a hand-written golden tree) is a
# strict xfail, so it fails loudly once the gap is closed.
KNOWN_GAPS = {
    "ASL202/library_manager_used_as_value": (
        "ASL202 judges only project `@asynccontextmanager` results; a library "
        "call the model says returns an async context manager "
        "(httpx `AsyncClient.stream`) used as the response is not reported"
    ),
    "ASL205/sync_only_module": (
        "a file with no `async` or `await` is not analysed (checker.py's text "
        "pre-filter), so `with` on a generator in a sync-only module is missed"
    ),
    "ASL301/type_dispatch_every_side_blocks": _DISPATCH_GAP,
    "ASL301/no_literal_in_named_mapping": _NAMED_MAPPING_GAP,
}

KNOWN_FIX_GAPS: dict[str, str] = {
    "ASL301/type_dispatch_every_side_blocks": _DISPATCH_GAP,
    "ASL301/no_literal_in_named_mapping": _NAMED_MAPPING_GAP,
}


def _params(fixtures: list[RuleFixture], gaps: dict[str, str]) -> list[object]:
    params = []
    for fixture in fixtures:
        marks = []
        if fixture.key in gaps:
            marks.append(pytest.mark.xfail(strict=True, reason=gaps[fixture.key]))
        params.append(pytest.param(fixture, id=fixture.key, marks=marks))
    return params


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file of a tree by relative POSIX path (caches left out)."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not set(_CACHES) & set(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def marked_findings(root: Path) -> Counter[Finding]:
    """The findings that the `# error:` comments of a tree state."""
    expected: Counter[Finding] = Counter()
    for name, data in tree_bytes(root).items():
        if not name.endswith(".py"):
            continue
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = _MARKER.search(token.string)
            if match is None:
                continue
            for code in match["codes"].split(","):
                expected[(name, token.start[0], code.strip())] += 1
    return expected


def _lines(findings: Counter[Finding]) -> list[str]:
    return sorted(f"{file}:{line}: {code}" for file, line, code in findings.elements())


def _copy(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=_SKIPPED)
    return destination


def _write_golden(fixture: RuleFixture, fixed: Path, changed: bool) -> None:
    if fixture.golden.exists():
        shutil.rmtree(fixture.golden)
    if changed:
        _copy(fixed, fixture.golden)


def test_fixtures_exist() -> None:
    assert FIXTURES, f"no fixture projects under {RULE_FIXTURES}"


def test_every_golden_tree_has_its_fixture() -> None:
    goldens = {p for p in RULE_FIXTURES.glob(f"*/*{GOLDEN_SUFFIX}") if p.is_dir()}
    orphans = sorted(g for g in goldens if not g.with_suffix("").is_dir())
    assert orphans == []


@pytest.mark.parametrize("fixture", _params(FIXTURES, {}))
def test_name_matches_markers(fixture: RuleFixture) -> None:
    own = [f for f in marked_findings(fixture.path) if f[2] == fixture.code]
    if fixture.name.startswith("no_"):
        assert not own, f"must-not-fire fixture marks its own code: {own}"
    else:
        assert own, f"firing fixture marks no {fixture.code} line (name it no_...)"


@pytest.mark.parametrize("fixture", _params(FIXTURES, KNOWN_GAPS))
def test_findings_are_exactly_the_marked_lines(
    fixture: RuleFixture, tmp_path: Path, asynclint: Runner
) -> None:
    root = _copy(fixture.path, tmp_path / "project")

    run = asynclint(root)

    expected = marked_findings(fixture.path)
    missing = _lines(expected - run.findings)
    unexpected = _lines(run.findings - expected)
    assert (missing, unexpected) == ([], []), "missing, unexpected findings"


@pytest.mark.parametrize("fixture", _params(FIXTURES, KNOWN_FIX_GAPS))
def test_fix_matches_golden(
    fixture: RuleFixture,
    tmp_path: Path,
    asynclint: Runner,
    update_golden: bool,
) -> None:
    root = _copy(fixture.path, tmp_path / "project")
    before = tree_bytes(root)

    run = asynclint(root, *fixture.fix_options)

    assert "fix not applied" not in run.stderr, run.stderr
    after = tree_bytes(root)
    for name, data in after.items():
        if name.endswith(".py"):
            ast.parse(data, filename=name)
    if update_golden and fixture.key not in KNOWN_FIX_GAPS:
        _write_golden(fixture, root, after != before)
    if fixture.golden.exists():
        assert after == tree_bytes(fixture.golden), f"differs from {fixture.golden}"
        assert after != before, "golden tree is the unchanged input; remove it"
    else:
        changed = sorted(n for n in after if after[n] != before.get(n))
        assert after == before, f"--fix changed {changed} but there is no golden tree"


@pytest.mark.parametrize(
    "fixture", _params([f for f in FIXTURES if f.golden.exists()], {})
)
def test_fixing_golden_changes_nothing(
    fixture: RuleFixture, tmp_path: Path, asynclint: Runner
) -> None:
    root = _copy(fixture.golden, tmp_path / "project")

    asynclint(root, *fixture.fix_options)

    assert tree_bytes(root) == tree_bytes(fixture.golden)


# The transformer on its own, for a rewrite no rule reaches through the CLI
# today: zero-argument `super()` needs the method's frame, so it must not
# move into a lambda.
@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("super().save(x)", "await asyncio.to_thread(super().save, x)"),
        ("Client().run(x)", "await asyncio.to_thread(lambda: Client().run(x))"),
    ],
)
def test_offloading_keeps_super_in_the_method(call: str, expected: str) -> None:
    source = (
        f"import asyncio\n\n\nclass A(B):\n    async def m(self, x):\n        {call}\n"
    )
    where = CodeRange(CodePosition(6, 8), CodePosition(6, 8 + len(call)))
    fix = Fix(Applicability.UNSAFE, "offload", OffloadToThread(where), "asyncio")

    outcome = apply_fixes(source, [fix])

    assert outcome.applied == (fix,)
    assert outcome.text.splitlines()[-1] == f"        {expected}"
