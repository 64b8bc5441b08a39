"""ASL406: a marker registration pytest reads differently than meant."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class MarkerRegistrationMalformed(Rule):
    """A registration pytest reads differently from what was meant.

    pytest takes the text before the first `:` and `(` as the name, so
    `slow - takes long` registers a marker called `slow - takes long`, not
    `slow`. `config.addinivalue_line("marker", ...)` names an ini option
    that does not exist, and pytest fails in `pytest_configure`.
    """

    code: ClassVar[str] = "ASL406"
    slug: ClassVar[str] = "marker-registration-malformed"
    message: ClassVar[str] = "marker registration {text!r} is malformed: {reason}"
