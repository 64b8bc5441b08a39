"""A syntax error from code for a newer Python says which Python it needs."""

from __future__ import annotations

import sys

import pytest

from asynclint.newer_syntax import newer_python_hint

RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.parametrize(
    ("line", "version", "construct"),
    [
        ("type Pair = tuple[int, int]", (3, 12), "a type statement"),
        ("type Box[T] = list[T]", (3, 12), "a type statement"),
        (
            "def first[T](items: list[T]) -> T:",
            (3, 12),
            "type parameters on a function",
        ),
        ("    async def get[T](self) -> T:", (3, 12), "type parameters on a function"),
        ("class Stack[T]:", (3, 12), "type parameters on a class"),
        ("except* ValueError:", (3, 11), "except*"),
        (
            "except ValueError, TypeError:",
            (3, 14),
            "several exception types without brackets",
        ),
    ],
)
def test_hint_names_the_construct_and_version(
    line: str, version: tuple[int, int], construct: str
) -> None:
    hint = newer_python_hint(line)

    if sys.version_info >= version:
        assert hint is None
    else:
        wanted = ".".join(map(str, version))
        assert (
            hint == f"Python {wanted} syntax: {construct}; asynclint runs on {RUNNING}"
        )


@pytest.mark.parametrize(
    "line",
    ["x = 1 +", "type = 3", "typed = int", "def f(:", "items[0] = 1", "class C(Base):"],
)
def test_no_hint_for_ordinary_mistakes(line: str) -> None:
    assert newer_python_hint(line) is None
