"""The pytest config files pytest looks for, and what one of them holds."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.markers.facts import marker_name

# In pytest's precedence order within one directory.
CONFIG_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)


@dataclass(frozen=True, slots=True)
class MarkerLine:
    """One entry of a config's `markers` option."""

    text: str
    line: int

    @property
    def name(self) -> str:
        """The marker name pytest registers for this entry."""
        return marker_name(self.text)


@dataclass(frozen=True, slots=True)
class IgnoredSection:
    """A pytest-looking section pytest skips in this file.

    `replacement` is the header pytest would read instead, when renaming
    to it is safe; `fatal` is set where pytest refuses to start instead.
    """

    header: str
    line: int
    replacement: str | None
    fatal: bool = False


# The pytest settings the marker family reads from a config, whatever its
# format (the async plugins' modes, and what decides which tests run).
READ_SETTINGS = (
    "asyncio_mode",
    "anyio_mode",
    "trio_mode",
    "python_files",
    "testpaths",
    "norecursedirs",
)


@dataclass(frozen=True, slots=True)
class PytestConfig:
    """A config file as pytest would load it, with line numbers kept.

    `selected` says whether pytest stops at this file when it reaches it;
    `problem` is set when pytest rejects the file outright.
    """

    path: Path
    selected: bool
    section_line: int = 1
    markers: tuple[MarkerLine, ...] = ()
    addopts: tuple[str, ...] = ()
    addopts_line: int = 1
    settings: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    problem_line: int = 1
    ignored: tuple[IgnoredSection, ...] = ()

    @property
    def refuses(self) -> bool:
        """Whether pytest stops with an error on this file."""
        return self.problem is not None or any(s.fatal for s in self.ignored)

    @property
    def marker_names(self) -> frozenset[str]:
        """Names this file registers."""
        return frozenset(m.name for m in self.markers)


def split_addopts(value: object) -> tuple[str, ...]:
    """`addopts` as arguments, from an INI string or a TOML list."""
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    try:
        return tuple(shlex.split(str(value)))
    except ValueError:
        return tuple(str(value).split())


def marker_lines(value: str, first_line: int) -> list[MarkerLine]:
    """Entries of a line-list string, numbered from `first_line`."""
    lines = value.split("\n")
    return [
        MarkerLine(text.strip(), first_line + offset)
        for offset, text in enumerate(lines)
        if text.strip()
    ]
