"""The files around the checked ones: configs, conftests, plugin modules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from asynclint.markers.configs import CONFIG_NAMES, PytestConfig
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.ini_configs import load_ini_config
from asynclint.markers.toml_configs import load_toml_config

LoadFacts = Callable[[Path], "MarkerFacts | None"]


@dataclass(frozen=True, slots=True)
class Governance:
    """Which configs decide how pytest sees one file.

    `config` is the file a plain `pytest` from `base` reads; `nested` are
    stop points nearer the file that take over when pytest runs there;
    `walked` is every config file in the directories from the file up.
    """

    base: Path
    config: PytestConfig | None
    nested: tuple[PytestConfig, ...]
    walked: tuple[PytestConfig, ...]


class Project:
    """Reads each config file once and hands out Python facts on demand."""

    def __init__(
        self, root: Path, facts: Mapping[Path, MarkerFacts], load_facts: LoadFacts
    ) -> None:
        self.root = root
        self._facts = facts
        self._load_facts = load_facts
        self._configs: dict[Path, PytestConfig | None] = {}
        self._texts: dict[Path, str | None] = {}
        self._python: dict[Path, MarkerFacts | None] = {}

    def text(self, path: Path) -> str | None:
        """The decoded text of a config file, or None if unreadable."""
        if path not in self._texts:
            try:
                self._texts[path] = path.read_bytes().decode("utf-8", "replace")
            except OSError:
                self._texts[path] = None
        return self._texts[path]

    def config(self, path: Path) -> PytestConfig | None:
        """What pytest makes of the config file at `path`, if it exists."""
        if path not in self._configs:
            text = self.text(path) if path.is_file() else None
            loaded = None
            if text is not None and "\ufffd" in text:
                loaded = _undecodable(path)
            if text is not None and loaded is None:
                toml = path.suffix == ".toml"
                loader = load_toml_config if toml else load_ini_config
                loaded = loader(path, text)
            self._configs[path] = loaded
        return self._configs[path]

    def python(self, path: Path) -> MarkerFacts | None:
        """Facts of a Python file, checked or not; None if it is missing."""
        if path in self._facts:
            return self._facts[path]
        if path not in self._python:
            found = path.is_file()
            self._python[path] = self._load_facts(path) if found else None
        return self._python[path]

    def held(self, path: Path) -> MarkerFacts | None:
        """Facts of a Python file already in hand; None means unread (or
        missing, or without facts): the file is not read for them."""
        if path in self._facts:
            return self._facts[path]
        return self._python.get(path)

    def directory(self, directory: Path) -> tuple[PytestConfig, ...]:
        """The config files in `directory`, in pytest's precedence order."""
        found = (self.config(directory / name) for name in CONFIG_NAMES)
        return tuple(config for config in found if config is not None)

    def stop(self, directory: Path) -> PytestConfig | None:
        """The file pytest settles on (or fails on) in `directory`."""
        configs = self.directory(directory)
        broken = next((c for c in configs if c.problem is not None), None)
        chosen = next((c for c in configs if c.selected), None)
        return chosen if broken is None else broken

    def directories(self, path: Path) -> list[Path]:
        """The directories from `path`'s own up to the project root."""
        start = path.parent
        if start != self.root and self.root not in start.parents:
            return [start]
        chain = [start]
        while chain[-1] != self.root:
            chain.append(chain[-1].parent)
        return chain

    def governance(self, path: Path) -> Governance:
        """Which config a default `pytest` run reads for `path`."""
        directories = self.directories(path)
        stops = [s for s in map(self.stop, directories) if s is not None]
        walked = tuple(c for d in directories for c in self.directory(d))
        if not stops:
            return Governance(self.root, None, (), walked)
        outer = stops[-1]
        return Governance(outer.path.parent, outer, tuple(stops[:-1]), walked)


def _undecodable(path: Path) -> PytestConfig | None:
    """The config as pytest fails on it when its bytes are not UTF-8: pytest
    reads every config file as UTF-8 (INI files through iniconfig), and
    stops with a traceback, whichever section the bad byte is in."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except OSError:
        return None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        problem = f"is not valid UTF-8 (byte 0x{byte:02x} on line {line})"
        return PytestConfig(path, True, problem=problem, problem_line=line)
    return None


def module_name(path: Path) -> str:
    """The dotted name a Python file imports as, from its `__init__.py` chain."""
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.name:
        parts.append(directory.name)
        directory = directory.parent
    return ".".join(reversed(parts))
