"""The shipped plugin table holds together, and requirements carry over."""

from __future__ import annotations

from asynclint.markers.plugins import known_plugins, normalise, with_required


def test_required_plugins_are_in_the_table() -> None:
    names = {p.distribution for p in known_plugins()}
    for plugin in known_plugins():
        assert set(plugin.requires) <= names, plugin.distribution
        assert plugin.distribution == normalise(plugin.distribution)


def test_a_plugin_brings_the_plugins_it_requires() -> None:
    assert with_required({"pytest-aiohttp"}) == {"pytest-aiohttp", "pytest-asyncio"}
    assert with_required({"pytest-asyncio"}) == {"pytest-asyncio"}
    assert with_required({"requests", "anyio"}) == {"requests", "anyio"}
    assert with_required(()) == frozenset()
