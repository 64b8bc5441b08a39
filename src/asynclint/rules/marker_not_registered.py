"""ASL401: a marker used but not registered in the config pytest reads."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class MarkerNotRegistered(Rule):
    """A pytest marker is used but the config pytest reads does not register it.

    pytest warns about every unknown mark (PytestUnknownMarkWarning) and,
    with `--strict-markers` or `strict = true`, fails collection. The
    config that counts is the one a plain `pytest` run from the project
    reads; conftest.py files between it and the test, plugin modules named
    in `pytest_plugins` and the well-known plugins that are present
    (installed, declared, required by another, or imported by the test
    suite) register markers too. The fix adds the name to that config's
    `markers`, keeping the list's style.

    A marker that a well-known plugin registers (`asyncio`, `benchmark`)
    gets no fix while that plugin is missing: registered by hand it would
    silence pytest and leave the mark without effect (ASL407's finding).
    The message names the plugin to install or declare instead.
    """

    code: ClassVar[str] = "ASL401"
    slug: ClassVar[str] = "marker-not-registered"
    message: ClassVar[str] = "marker '{name}' is not registered in {config}{plugin}"
    fixable: ClassVar[bool] = True
