"""`file_facts`: marker uses found by binding, never by spelling."""

from __future__ import annotations

import ast
from pathlib import Path

from asynclint.markers import file_facts


def _names(source: str) -> list[str]:
    facts = file_facts(ast.parse(source), Path("test_x.py"), source)
    return [use.name for use in facts.uses]


def test_internal_and_aliased_spellings_resolve() -> None:
    source = (
        "from _pytest.mark import MARK_GEN\n"
        "import pytest as pt\n"
        "def test():\n"
        "    import pytest\n"
        "    local = pytest.mark\n"
        "    return MARK_GEN.one, pt.mark.two, local.three\n"
    )
    assert _names(source) == ["one", "two", "three"]


def test_shadowed_and_rebound_names_are_not_marks() -> None:
    source = (
        "import pytest\n"
        "from pytest import mark\n"
        "def f(mark):\n"
        "    return mark.param_name\n"
        "class C:\n"
        "    mark = pytest.mark\n"
        "    def g(self):\n"
        "        return mark.module_level, self.mark.attribute\n"
        "pytest.mark._private\n"
    )
    assert _names(source) == ["module_level"]


def test_columns_count_characters_not_bytes() -> None:
    source = 'import pytest\nx = "é"; y = pytest.mark.slow\n'
    use = file_facts(ast.parse(source), Path("t.py"), source).uses[0]
    assert source.splitlines()[1][use.name_range.start.column :] == "slow"


def test_registrations_only_count_inside_pytest_configure() -> None:
    source = (
        "def pytest_configure(config):\n"
        "    config.addinivalue_line('markers', 'a: x')\n"
        "    config.addinivalue_line('filterwarnings', 'error')\n"
        "def elsewhere(config):\n"
        "    config.addinivalue_line('markers', 'b: x')\n"
    )
    facts = file_facts(ast.parse(source), Path("conftest.py"), source)
    assert [r.name for r in facts.registrations] == ["a"]
