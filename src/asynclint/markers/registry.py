"""The markers pytest knows for one file under one config."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from asynclint.markers.configs import PytestConfig
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.plugins import (
    Plugin,
    known_plugins,
    plugin_for_module,
    with_required,
)
from asynclint.markers.project import Project

# Registered by pytest itself in every run (pytest 8 and 9).
BUILTIN_MARKERS = frozenset(
    {
        "filterwarnings",
        "parametrize",
        "skip",
        "skipif",
        "tryfirst",
        "trylast",
        "usefixtures",
        "xfail",
    }
)
_PYTESTER = ("pytester", "_pytest.pytester")


@dataclass(frozen=True, slots=True)
class Known:
    """What is registered for a file, and whether anything is hidden.

    `open` is set when a plugin or hook registers markers we cannot read,
    so an unknown name proves nothing. `runs_async` says something runs
    every `async def` test; `selective` are the present plugins that run
    only some (plugins.toml). `marks_items` and `autouse` say a conftest or
    plugin module may mark tests, or gives every test a fixture.
    """

    names: frozenset[str]
    open: bool
    runs_async: bool
    selective: tuple[Plugin, ...] = ()
    marks_items: bool = False
    autouse: bool = False


def known_markers(
    project: Project,
    path: Path,
    config: PytestConfig | None,
    base: Path,
    available: frozenset[str],
) -> Known:
    """The markers a run from `base` with `config` registers for `path`."""
    names = set(BUILTIN_MARKERS)
    modules: list[str] = []
    if config is not None and not config.refuses:
        names |= config.marker_names
        modules += _plugin_options(config.addopts)
    sources = [project.python(d / "conftest.py") for d in downwards(base, path)]
    own = project.python(path) if path.suffix == ".py" else None
    if own is not None and path.name != "conftest.py":
        modules += own.pytest_plugins
    collected = _Collected(names, modules, available=set(available))
    for facts in sources:
        if facts is not None:
            collected.add(facts)
    collected.load_modules(project, base)
    present = with_required(collected.available)
    selective: list[Plugin] = []
    for plugin in known_plugins():
        if plugin.distribution in present:
            collected.names.update(plugin.markers)
            if plugin.runs_async and plugin.runs_marked:
                selective.append(plugin)
            else:
                collected.runs_async |= plugin.runs_async
    return Known(
        frozenset(collected.names),
        collected.open,
        collected.runs_async,
        tuple(selective),
        collected.marks_items,
        collected.autouse,
    )


@dataclass(slots=True)
class _Collected:
    names: set[str]
    modules: list[str]
    available: set[str]
    open: bool = False
    runs_async: bool = False
    marks_items: bool = False
    autouse: bool = False

    def add(self, facts: MarkerFacts) -> None:
        """Take in one conftest or plugin module."""
        self.names.update(r.name for r in facts.registrations if r.key == "markers")
        self.open |= facts.dynamic_registrations
        self.runs_async |= facts.runs_coroutines
        self.marks_items |= facts.marks_items
        self.autouse |= facts.autouse
        self.modules += facts.pytest_plugins

    def load_modules(self, project: Project, base: Path) -> None:
        """Follow `pytest_plugins` and `-p` names, each once."""
        done: set[str] = set()
        while self.modules:
            module = self.modules.pop(0)
            if module in done:
                continue
            done.add(module)
            if module in _PYTESTER:
                self.names.add("pytester_example_path")
                continue
            if module.startswith("_pytest."):
                continue
            plugin = plugin_for_module(module)
            if plugin is not None:
                self.available.add(plugin.distribution)
                continue
            facts = _module_facts(project, base, module)
            if facts is None:
                # A plugin we cannot read may register anything.
                self.open = True
            else:
                self.add(facts)


def _module_facts(project: Project, base: Path, module: str) -> MarkerFacts | None:
    relative = Path(*module.split("."))
    roots = (base, project.root, base / "src", project.root / "src")
    for root in roots:
        for candidate in (
            root / relative.with_suffix(".py"),
            root / relative / "__init__.py",
        ):
            facts = project.python(candidate)
            if facts is not None:
                return facts
    return None


def downwards(base: Path, path: Path) -> list[Path]:
    """Directories from `base` down to `path`'s own."""
    directory = path.parent
    if directory != base and base not in directory.parents:
        return [directory]
    chain = [directory]
    while chain[-1] != base:
        chain.append(chain[-1].parent)
    return chain[::-1]


def _plugin_options(arguments: tuple[str, ...]) -> list[str]:
    """Plugin names given with `-p` in `addopts` (not `-p no:...`)."""
    names: list[str] = []
    for index, argument in enumerate(arguments):
        value = None
        if argument == "-p" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("-p") and len(argument) > 2:
            value = argument[2:]
        if value and not value.startswith("no:"):
            names.append(value)
    return names


def marker_expression_names(arguments: tuple[str, ...]) -> list[str]:
    """Marker names in the `-m` expressions among `arguments`."""
    expressions: list[str] = []
    for index, argument in enumerate(arguments):
        if argument == "-m" and index + 1 < len(arguments):
            expressions.append(arguments[index + 1])
        elif argument.startswith("-m") and len(argument) > 2:
            expressions.append(argument[2:].removeprefix("="))
    names: list[str] = []
    for expression in expressions:
        names += _identifiers(expression)
    return names


def _identifiers(expression: str) -> list[str]:
    # Keyword arguments of `name(key=value)` are not marker names.
    without_arguments = re.sub(r"\([^)]*\)", " ", expression)
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", without_arguments)
    return [w for w in words if w not in ("and", "or", "not")]
