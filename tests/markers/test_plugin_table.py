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


def test_a_selective_runner_names_its_own_mark_and_a_full_mode() -> None:
    for plugin in known_plugins():
        if plugin.runs_marked is None:
            assert plugin.auto_setting is None, plugin.distribution
            continue
        assert plugin.runs_async, plugin.distribution
        assert plugin.runs_marked in plugin.markers, plugin.distribution
        assert bool(plugin.auto_setting) == bool(plugin.auto_values)
