"""The shipped table of well-known pytest plugins and the marks they add."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True, slots=True)
class Plugin:
    """A plugin distribution, the modules that load it, its marks, the
    plugins its distribution requires, and which `async def` tests it runs
    (see plugins.toml)."""

    distribution: str
    modules: tuple[str, ...]
    markers: tuple[str, ...]
    runs_async: bool
    requires: tuple[str, ...] = ()
    runs_marked: str | None = None
    runs_with_fixture: str | None = None
    auto_setting: str | None = None
    auto_option: str | None = None
    auto_values: tuple[str, ...] = ()

    @property
    def packages(self) -> tuple[str, ...]:
        """The top-level packages the distribution installs its plugin in."""
        return tuple(dict.fromkeys(m.split(".", 1)[0] for m in self.modules))

    def owns(self, module: str) -> bool:
        """Whether `module` is part of this plugin's own top-level packages."""
        return module.split(".", 1)[0] in self.packages


def normalise(distribution: str) -> str:
    """A distribution name in its PEP 503 form."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


@functools.cache
def known_plugins() -> tuple[Plugin, ...]:
    """Every plugin in the shipped table."""
    text = resources.files(__package__).joinpath("plugins.toml").read_text("utf-8")
    table = tomllib.loads(text)
    return tuple(
        Plugin(
            normalise(name),
            tuple(entry.get("modules", ())),
            tuple(entry.get("markers", ())),
            bool(entry.get("runs_async", False)),
            tuple(normalise(n) for n in entry.get("requires", ())),
            entry.get("runs_marked"),
            entry.get("runs_with_fixture"),
            entry.get("auto_setting"),
            entry.get("auto_option"),
            tuple(entry.get("auto_values", ())),
        )
        for name, entry in table.items()
    )


def with_required(distributions: Iterable[str]) -> frozenset[str]:
    """`distributions` and every plugin they pull in, however indirectly."""
    present = set(distributions)
    pending = list(present)
    while pending:
        plugin = _plugin_named(pending.pop())
        for required in plugin.requires if plugin is not None else ():
            if required not in present:
                present.add(required)
                pending.append(required)
    return frozenset(present)


def _plugin_named(distribution: str) -> Plugin | None:
    return next((p for p in known_plugins() if p.distribution == distribution), None)


def plugin_for_module(module: str) -> Plugin | None:
    """The plugin a `pytest_plugins` or `-p` name loads, if known."""
    return next((p for p in known_plugins() if module in p.modules), None)


def plugins_with_marker(name: str) -> tuple[Plugin, ...]:
    """The plugins that register marker `name`."""
    return tuple(p for p in known_plugins() if name in p.markers)


def installed_distributions() -> frozenset[str]:
    """Names of the distributions installed here."""
    return frozenset(installed_versions())


@functools.cache
def installed_versions() -> dict[str, str]:
    """The distributions installed here and their versions ("" where the
    name does not say), read off the names of their metadata directories on
    `sys.path` (`pytest_asyncio-1.0.dist-info`, `name.egg-info`): importing
    importlib.metadata and parsing every METADATA file would cost more than
    the rest of a pre-commit run."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listing:
            if item.endswith((".dist-info", ".egg-info")):
                name, _, version = item.rpartition(".")[0].partition("-")
                found.setdefault(normalise(name), version.partition("-")[0])
    return found
