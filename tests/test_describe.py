"""How messages name a value (protocols.describe)."""

from __future__ import annotations

import pytest

from asynclint.protocols import describe
from asynclint.values import NONE, Plain


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (Plain("int"), "an int"),
        (Plain("str"), "a str"),
        (Plain("a generator"), "a generator"),
        (Plain("the module `json`"), "the module `json`"),
        (NONE, "None"),
    ],
)
def test_plain_values_get_the_right_article(value: Plain, phrase: str) -> None:
    assert describe(value) == phrase
