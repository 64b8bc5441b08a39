"""The statement-only search for attribute stores finds what a walk of
every node finds, whenever the text says no expression stores."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from asynclint.attribute_stores import may_store_in_expressions, stores

FIXTURES = Path(__file__).parent / "fixtures"
EVERY_SOURCE = sorted(FIXTURES.rglob("*.py"))


def _found(tree: ast.AST, in_expressions: bool) -> list[tuple[int, int, str]]:
    return sorted(
        (node.lineno, node.col_offset, ast.dump(node))
        for node, _scope in stores(tree, in_expressions)
    )


def _scopes(tree: ast.AST, in_expressions: bool) -> list[tuple[int, str | None]]:
    return sorted(
        (node.lineno, scope.name if scope else None)
        for node, scope in stores(tree, in_expressions)
    )


@pytest.mark.parametrize(
    "source",
    [
        "setattr(Feed, name, f)",
        "delattr(obj, 'x')",
        "items = [x for self.last in values]",
        "total = sum(1 for\n    obj.attr in values)",
    ],
)
def test_text_that_may_store_in_an_expression(source: str) -> None:
    assert may_store_in_expressions(source)


@pytest.mark.parametrize(
    "source",
    [
        "self.x = 1\ndel self.y\n",
        "with open(p) as self.handle: pass\n",
        "names = [item.name for item in items]\n",
        "for key, value in self.items(): pass\n",
        "for row in rows: total.add(row)\n",
    ],
)
def test_text_that_stores_only_in_statements(source: str) -> None:
    assert not may_store_in_expressions(source)


def test_statement_targets_of_every_kind_are_found() -> None:
    source = (
        "class Feed:\n"
        "    def __init__(self, rows):\n"
        "        self.a = self.b = 1\n"
        "        self.c += 1\n"
        "        self.d: int = 2\n"
        "        del self.e\n"
        "        for self.f, (self.g, *self.h) in rows:\n"
        "            pass\n"
        "        with open('p') as self.i:\n"
        "            if rows:\n"
        "                try:\n"
        "                    self.j = 3\n"
        "                except OSError:\n"
        "                    self.k = 4\n"
        "        def inner():\n"
        "            self.m = 5\n"
        "        self.n[0] = 6\n"
        "        self.o.p = 7\n"
        "Feed.__aiter__ = None\n"
    )
    # (A `for` statement with an attribute target reads, in the text, like
    # a comprehension: such a module gets the full walk, so compare both.)
    tree = ast.parse(source)
    names = [node.attr for node, _ in stores(tree, in_expressions=False)]
    assert sorted(names) == sorted([*"abcdefghijkmp", "__aiter__"])
    assert _found(tree, False) == _found(tree, True)
    assert _scopes(tree, False) == _scopes(tree, True)


@pytest.mark.parametrize(
    "path", EVERY_SOURCE, ids=[str(p.relative_to(FIXTURES)) for p in EVERY_SOURCE]
)
def test_statement_walk_agrees_with_the_full_walk(path: Path) -> None:
    source = path.read_text(encoding="utf-8", errors="surrogateescape")
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        pytest.skip("not parseable: a fixture of a parse failure")
    full = _found(tree, True)
    if may_store_in_expressions(source):
        return  # the full walk is what such a module gets
    assert _found(tree, False) == full
    assert _scopes(tree, False) == _scopes(tree, True)
