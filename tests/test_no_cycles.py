"""A plain check leaves no cyclic garbage behind.

The engine turns the cyclic garbage collector off while it checks files
(see `engine._map`), which is only safe while checking builds no reference
cycles: anything cyclic would stay in memory until the process ends. This
test checks every rule fixture and shared case with the collector off and
asks the collector what it would have freed.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.file_check import check_one
from asynclint.index import import_roots
from asynclint.run_setup import make_checker

FIXTURES = Path(__file__).parent / "fixtures"


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("tree", ["rules", "cases", "regressions", "example"])
def test_checking_builds_no_reference_cycles(tree: str) -> None:
    files = _sources(FIXTURES / tree)
    assert files, f"no Python files under tests/fixtures/{tree}"
    roots = import_roots(files, FIXTURES / tree)
    checker = make_checker(Settings(root=FIXTURES / tree), roots)
    # A first pass loads whatever modules asynclint imports lazily: a class
    # statement makes a cycle (the type and its descriptors), once.
    for path in files:
        check_one(checker, path, None, False, False)
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        checked = 0
        for path in files:
            analysis, _ = check_one(checker, path, None, False, False)
            checked += analysis.error is None
        unreachable = gc.collect()
    finally:
        if collecting:
            gc.enable()
    assert checked > 0
    assert unreachable == 0, f"{unreachable} objects were only freeable by gc"
