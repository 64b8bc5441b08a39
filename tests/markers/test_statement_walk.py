"""A file that cannot spell a marker use gets a statement-only walk
(markers/scan.py); its facts must be those of the full walk."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from asynclint.markers import scan

FIXTURES = Path(__file__).parent.parent / "fixtures"
# Async tests and fixtures in every place the walk distinguishes, with
# decorators only a resolver can read, and no marker spelled anywhere.
SAMPLE = """
import pytest as pt
from pytest import fixture as fx

async def test_module_level(): ...

@fx
async def shared(): ...

class TestGroup:
    async def test_method(self): ...

    @pt.fixture
    async def in_class(self): ...

if True:
    async def test_under_if(): ...

def outer():
    fx = None

    @fx
    async def rebound(): ...

    async def test_nested(): ...

@other
async def test_other_decorator(): ...
"""


def _both(source: str) -> tuple[object, object]:
    tree = ast.parse(source)
    quick = scan.file_facts(tree, Path("t.py"), source)
    full = scan.file_facts(tree, Path("t.py"), None)  # no text: full walk
    return quick.async_definitions, full.async_definitions


def test_the_statement_walk_finds_what_the_full_walk_finds() -> None:
    assert not any(hint in SAMPLE for hint in scan._USE_HINTS)
    quick, full = _both(SAMPLE)
    assert quick == full
    assert len(full) == 5  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in sorted(FIXTURES.rglob("*.py"))
        if "async def" in (text := p.read_text(errors="replace"))
        and not any(hint in text for hint in scan._USE_HINTS)
    ][:200],
    ids=lambda p: str(p.relative_to(FIXTURES)),
)
def test_fixture_files_get_the_same_facts(path: Path) -> None:
    source = path.read_text()
    try:
        ast.parse(source)
    except SyntaxError:
        pytest.skip("not valid Python on this interpreter")
    quick, full = _both(source)
    assert quick == full
