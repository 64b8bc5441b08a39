"""Whether a present plugin runs an `async def` test, and if none does, why.

A plugin that runs every coroutine test (pytest-tornasync, pytest-sanic,
a conftest's `pytest_pyfunc_call`) settles it. The others take a test
only when it carries their mark, requests their fixture, or their
setting tells them to take all (plugins.toml lists which). Where marks
may come from what is not read (a base class, a hook that marks
collected tests), or a fixture may be requested through another one,
the test is taken to be run.
"""

from __future__ import annotations

from asynclint.markers.configs import PytestConfig
from asynclint.markers.facts import AsyncDefinition, MarkerFacts
from asynclint.markers.plugins import Plugin
from asynclint.markers.registry import Known

NO_PLUGIN = "no async test plugin is configured"


def unrun_reason(
    definition: AsyncDefinition,
    known: Known,
    facts: MarkerFacts,
    config: PytestConfig | None,
) -> str | None:
    """Why no plugin runs `definition` (in the file `facts` describe, under
    `config`); None when one does, or may."""
    if known.runs_async or known.open:
        return None
    if not known.selective:
        return NO_PLUGIN
    if definition.is_fixture:
        # An async fixture is set up for the tests that request it, which
        # are not followed: under these plugins it is not judged.
        return None
    if not definition.marks_known or known.marks_items or facts.marks_items:
        return None
    autouse = known.autouse or facts.autouse
    needs = []
    for plugin in known.selective:
        if _takes(plugin, definition, config, autouse):
            return None
        needs.append(_condition(plugin))
    return "; ".join(needs)


def _takes(
    plugin: Plugin,
    definition: AsyncDefinition,
    config: PytestConfig | None,
    autouse: bool,
) -> bool:
    """Whether `plugin` runs `definition`, or may."""
    if plugin.runs_marked in definition.marks:
        return True
    mode = _mode(plugin, config)
    if mode is not None and mode.strip().lower() in plugin.auto_values:
        return True
    if plugin.runs_with_fixture is None:
        return False
    # Any fixture it requests, or one every test gets, may request the
    # plugin's fixture in turn.
    requested = [p for p in definition.parameters if p != "self"]
    return bool(requested) or autouse or "usefixtures" in definition.marks


def _mode(plugin: Plugin, config: PytestConfig | None) -> str | None:
    """The plugin's mode setting, from `addopts` before the ini option."""
    if config is None or plugin.auto_setting is None:
        return None
    option = plugin.auto_option
    arguments = config.addopts
    for index, argument in enumerate(arguments):
        if option is None:
            break
        if argument == option and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith(option + "="):
            return argument[len(option) + 1 :]
    return config.settings.get(plugin.auto_setting)


def _condition(plugin: Plugin) -> str:
    """What `plugin` needs to run a test, as a clause of the message."""
    text = f"{plugin.distribution} runs only tests marked '{plugin.runs_marked}'"
    if plugin.runs_with_fixture:
        text += f" or using {plugin.runs_with_fixture}"
    if plugin.auto_setting and plugin.auto_values:
        text += f" without {plugin.auto_setting} = {plugin.auto_values[0]}"
    return text
