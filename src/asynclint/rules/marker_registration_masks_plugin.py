"""ASL407: a plugin's marker registered by hand without the plugin."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class MarkerRegistrationMasksPlugin(Rule):
    """A plugin's marker registered by hand while the plugin is not installed.

    Registering `asyncio` silences the unknown-mark warning, but without
    pytest-asyncio nothing acts on the mark: the tests are skipped or run
    without the behaviour the mark asks for. The plugin counts as present
    when the project declares it, the environment has it installed, a
    plugin that is present requires it (pytest-aiohttp brings
    pytest-asyncio), or the test suite imports its package (`import
    anyio`).
    """

    code: ClassVar[str] = "ASL407"
    slug: ClassVar[str] = "marker-registration-masks-plugin"
    message: ClassVar[str] = (
        "marker '{name}' belongs to {plugin}, which is neither declared nor installed"
    )
