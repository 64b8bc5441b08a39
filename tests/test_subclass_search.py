"""The search for overriding subclasses runs only for files with findings.

`self.method` is unknown when a project subclass may redefine `method` as
the other kind (overrides.py); finding out reads every file that defines
the name. The checker first runs the rules taking every such method as
defined, and searches only when that run has findings and took some method
as defined. This is sound only
while the search can never add a finding; the fixture sweep below holds
every rule to that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import infer, overrides
from asynclint.config import Settings
from asynclint.file_check import check_one
from asynclint.index import import_roots
from asynclint.run_setup import make_checker

FIXTURES = Path(__file__).parent / "fixtures"

Found = set[tuple[str, int, int, str]]


def _findings(tree: Path) -> Found:
    files = sorted(p for p in tree.rglob("*.py") if "__pycache__" not in p.parts)
    checker = make_checker(Settings(root=tree), import_roots(files, tree))
    found: Found = set()
    for path in files:
        analysis, _ = check_one(checker, path, None, False, False)
        found.update(
            (str(v.path), v.line, v.column, v.code) for v in analysis.violations
        )
    return found


@pytest.mark.parametrize("tree", ["rules", "cases", "regressions", "example"])
def test_searching_for_subclasses_never_adds_a_finding(
    tree: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched = _findings(FIXTURES / tree)
    monkeypatch.setattr(infer, "overridden_as_other_kind", lambda *_: False)
    unsearched = _findings(FIXTURES / tree)
    assert searched <= unsearched
    if tree == "rules":
        # The sweep must see the search matter somewhere, or it proves nothing.
        assert searched != unsearched


BASE = """\
def helper():
    return 0


class Base:
    def fetch(self):
        return 1

    async def load(self):
        return 2

    async def run(self):
        {}
"""
CHILD = """\
from app.base import Base


class Child(Base):
    async def fetch(self):
        return 3

    def load(self):
        return 4
"""


def _project(root: Path, body: str) -> Path:
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(BASE.format(body))
    (package / "child.py").write_text(CHILD)
    return package / "base.py"


def _count_searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    original = overrides._work_out

    def counted(
        inference: infer.Inference, method: object, *args: object
    ) -> overrides.Answer:
        names.append(getattr(method, "name", "?"))
        return original(inference, method, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(overrides, "_work_out", counted)
    return names


@pytest.mark.parametrize(
    ("body", "searched", "codes"),
    [
        # Both look wrong in `Base` alone; `Child` makes each unknown.
        ("return await self.fetch()", ["fetch"], []),
        ("self.load()", ["load"], []),
        # Right as written: nothing to search for.
        ("return await self.load()", [], []),
        # Wrong whatever the subclasses do: no method of `self` involved.
        ("return await helper()", [], ["ASL101"]),
    ],
)
def test_the_search_runs_only_where_a_finding_needs_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    body: str,
    searched: list[str],
    codes: list[str],
) -> None:
    base = _project(tmp_path, body)
    names = _count_searches(monkeypatch)
    checker = make_checker(Settings(root=tmp_path), [tmp_path])
    analysis, _ = check_one(checker, base, None, False, False)
    assert [v.code for v in analysis.violations] == codes
    assert names == searched


def test_a_file_that_had_findings_is_searched_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine asks for it when the cache says the file had findings.
    base = _project(tmp_path, "return await self.load()")
    names = _count_searches(monkeypatch)
    checker = make_checker(Settings(root=tmp_path), [tmp_path])
    analysis, _ = check_one(checker, base, None, False, False, search_first=True)
    assert analysis.violations == ()
    assert names == ["load"]
