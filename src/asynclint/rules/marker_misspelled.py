"""ASL402: a marker name that is one slip away from a known marker."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class MarkerMisspelled(Rule):
    """A marker name is a likely typo of a built-in or registered one.

    `parameterize`, `parametrise` and `parameterise` always fail
    collection, so renaming them to `parametrize` is safe. Other names one
    slip (a character, a swap, or only case and underscores) away from
    exactly one known marker get an unsafe rename: the name may be a new
    marker still to be registered. Registered names are never flagged,
    however similar they look.
    """

    code: ClassVar[str] = "ASL402"
    slug: ClassVar[str] = "marker-misspelled"
    message: ClassVar[str] = (
        "marker '{name}' looks like a misspelling of '{suggestion}'"
    )
    fixable: ClassVar[bool] = True
