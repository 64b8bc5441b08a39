"""The fix loop's cost grows with the file, not with the square of its fixes.

Costs are counted (analyses, rewrites, the size of what goes to `difflib`)
rather than timed, so a loaded machine cannot fail these tests and a
quadratic regression cannot pass them.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asynclint import fixing
from asynclint.checker import Checker
from asynclint.config import Settings
from asynclint.file_check import check_one
from asynclint.fixer import FixOutcome
from asynclint.library import build_model
from asynclint.linediff import changed_blocks
from asynclint.types import Fix

FIXTURES = Path(__file__).parent / "fixtures"


def _dropped_calls(count: int) -> str:
    """A module with `count` functions, each dropping the coroutine `audit`."""
    functions = "".join(f"\n\nasync def f{n}(x):\n    audit(x)\n" for n in range(count))
    return "async def audit(x): ...\n" + functions


def _call_line(function: int) -> int:
    """The line of the `audit(x)` call in function `f{function}`."""
    return 4 * function + 5


class _Costs:
    """Counts of what the fix loop did: analyses, rewrites, diff work."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, checker: Checker) -> None:
        self.analyses = 0
        self.rewrites = 0
        self.largest_diff = 0
        analyze = checker.analyze
        apply_fixes = fixing.apply_fixes
        matcher = difflib.SequenceMatcher

        def counted_analyze(*args: object, **kwargs: object) -> object:
            self.analyses += 1
            return analyze(*args, **kwargs)  # type: ignore[arg-type]

        def counted_apply(source: str, fixes: Sequence[Fix]) -> FixOutcome:
            self.rewrites += 1
            return apply_fixes(source, fixes)

        def measured_matcher(
            isjunk: object = None,
            a: Sequence[str] = "",
            b: Sequence[str] = "",
            autojunk: bool = True,
        ) -> difflib.SequenceMatcher[str]:
            self.largest_diff = max(self.largest_diff, len(a) * len(b))
            return matcher(isjunk, a, b, autojunk)  # type: ignore[arg-type]

        monkeypatch.setattr(checker, "analyze", counted_analyze)
        monkeypatch.setattr(fixing, "apply_fixes", counted_apply)
        monkeypatch.setattr(difflib, "SequenceMatcher", measured_matcher)


def _checker(root: Path) -> Checker:
    configured = Settings(root=root)
    return Checker(configured, build_model(configured.declarations))


def test_four_hundred_fixes_cost_one_rewrite_and_small_diffs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _dropped_calls(400)
    checker = _checker(tmp_path)
    costs = _Costs(monkeypatch, checker)

    _, outcome = check_one(checker, tmp_path / "a.py", text, fix=True, unsafe=False)

    assert outcome is not None
    assert outcome.text == text.replace("    audit(x)", "    await audit(x)")
    assert len(outcome.fixed) == 400 and outcome.warnings == []
    # The first analysis, and one of the rewrite, which leaves nothing to fix.
    assert costs.analyses == 2
    assert costs.rewrites == 1
    # The file has 1,600 lines: a whole-file `difflib` comparison (quadratic
    # when lines repeat) would be 1,600 x 1,600.
    assert costs.largest_diff <= 64 * 64


def test_one_bad_fix_among_many_costs_a_few_rewrites_not_one_per_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _dropped_calls(64)
    checker = _checker(tmp_path)
    bad = _call_line(37)
    real = fixing.apply_fixes

    def damaged(source: str, fixes: Sequence[Fix]) -> FixOutcome:
        """Every rewrite holding the fix on line `bad` also writes a fault."""
        outcome = real(source, fixes)
        targets = [getattr(f.replacement, "target", None) for f in outcome.applied]
        if not any(t is not None and t.start.line == bad for t in targets):
            return outcome
        faulty = outcome.text.replace(
            "    await audit(x)\n\n\nasync def f38",
            "    await audit(x)\n    audit(x + 1)\n\n\nasync def f38",
        )
        return FixOutcome(faulty, outcome.applied, outcome.skipped)

    monkeypatch.setattr(fixing, "apply_fixes", damaged)
    costs = _Costs(monkeypatch, checker)

    _, outcome = check_one(checker, tmp_path / "a.py", text, fix=True, unsafe=False)

    assert outcome is not None
    assert len(outcome.fixed) == 63
    expected = text.replace("    audit(x)", "    await audit(x)").replace(
        "f37(x):\n    await audit(x)", "f37(x):\n    audit(x)"
    )
    assert outcome.text == expected
    assert outcome.warnings == [
        (
            f"{tmp_path / 'a.py'}:{bad}:5: ASL102 fix not applied: the result "
            "would add ASL102 (coroutine from `a.audit()` is never awaited: its "
            "result is dropped, so it never runs)"
        )
    ]
    # Halving finds the bad fix in about log2(64) rewrites; trying the fixes
    # one by one took 64, each followed by an analysis of the whole file.
    assert costs.rewrites <= 2 + 2 * 6
    assert costs.analyses <= 2 + 2 * 6


def _stripped_pairs() -> list[tuple[list[str], list[str]]]:
    """(input, fixed) stripped lines of every fixture file that a fix changes."""
    pairs = []
    golden = [(d.with_suffix(""), d) for d in FIXTURES.rglob("*.fixed")]
    golden += [(d.parent / "input", d) for d in FIXTURES.rglob("expected")]
    for source_dir, fixed_dir in sorted(golden):
        for fixed in sorted(fixed_dir.rglob("*.py")):
            source = source_dir / fixed.relative_to(fixed_dir)
            if not source.is_file():
                continue
            old = source.read_bytes().decode("latin-1").splitlines()
            new = fixed.read_bytes().decode("latin-1").splitlines()
            if old != new:
                pairs.append(([s.strip() for s in old], [s.strip() for s in new]))
    return pairs


def _difflib_blocks(
    old: Sequence[str], new: Sequence[str]
) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        (old_start, old_end, new_start, new_end)
        for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes()
        if tag != "equal"
    ]


def _blocks(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int, int]]:
    return [
        (b.old_start, b.old_end, b.new_start, b.new_end)
        for b in changed_blocks(old, new)
    ]


def _marked(
    old: Sequence[str], new: Sequence[str], blocks: list[tuple[int, int, int, int]]
) -> tuple[set[int], dict[int, set[int]]]:
    """What verification reads of a diff, on lines that hold code (no finding
    is ever on a blank line): the written lines, and what each rewritten old
    line became."""
    written: set[int] = set()
    regions: dict[int, set[int]] = {}
    for old_start, old_end, new_start, new_end in blocks:
        became = {j for j in range(new_start, new_end) if new[j]}
        written |= became
        regions.update((i, became) for i in range(old_start, old_end) if old[i])
    return written, regions


def test_the_line_diff_agrees_with_difflib_on_every_golden_fix() -> None:
    """On the rewrites fixes really make, verification checks the same lines
    with the fast diff as with `difflib` (where to put an inserted blank
    line is a free choice, and the two may make it differently)."""
    pairs = _stripped_pairs()

    assert len(pairs) > 60
    for old, new in pairs:
        fast = _marked(old, new, _blocks(old, new))
        assert fast == _marked(old, new, _difflib_blocks(old, new))


_LINES = st.lists(st.sampled_from(["", "pass", "x = 1", "await f()", "f()", "y"]))


@given(_LINES, _LINES)
def test_the_line_diff_pairs_only_equal_lines(old: list[str], new: list[str]) -> None:
    """Every line outside the changed blocks is paired with an equal line."""
    old_at = new_at = 0
    for old_start, old_end, new_start, new_end in [
        *_blocks(old, new),
        (len(old), len(old), len(new), len(new)),
    ]:
        assert old_start - old_at == new_start - new_at >= 0
        assert old[old_at:old_start] == new[new_at:new_start]
        assert old_start <= old_end and new_start <= new_end
        old_at, new_at = old_end, new_end
    assert (old_at, new_at) == (len(old), len(new))
