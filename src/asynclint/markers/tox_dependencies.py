"""The packages tox installs for its test environments (`deps`).

Read from tox.ini (`[testenv]` and `[testenv:NAME]`), setup.cfg (the same
sections, when `[tox:tox]` makes it tox's config), tox.toml
(`[env_run_base]`, `[env.NAME]`) and pyproject.toml's `[tool.tox]` (the
same tables, or an INI text in `legacy_tox_ini`). A factor condition
(`py311,py312: name`) does not hide the name: some environment installs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asynclint.markers.ini import parse_ini
from asynclint.markers.lenient_files import read_text, read_toml
from asynclint.markers.requirement_files import requirement_lines

_FACTORS = re.compile(r"^[\w{}!.,\- ]+:\s*(?!/)")


def tox_requirements(directory: Path) -> Iterator[str]:
    """The requirements in the `deps` of every tox environment configured in
    `directory`."""
    yield from _from_ini(directory, read_text(directory / "tox.ini"))
    setup_cfg = read_text(directory / "setup.cfg")
    if setup_cfg is not None and "[tox:tox]" in setup_cfg:
        yield from _from_ini(directory, setup_cfg)
    tox_toml = read_toml(directory / "tox.toml")
    yield from _from_tables(directory, tox_toml)
    pyproject = read_toml(directory / "pyproject.toml")
    tool = pyproject.get("tool")
    tox = tool.get("tox") if isinstance(tool, dict) else None
    if isinstance(tox, dict):
        yield from _from_tables(directory, tox)
        legacy = tox.get("legacy_tox_ini")
        if isinstance(legacy, str):
            yield from _from_ini(directory, legacy)


def _from_ini(directory: Path, text: str | None) -> Iterator[str]:
    if text is None:
        return
    for section in parse_ini(text).sections:
        if section.name != "testenv" and not section.name.startswith("testenv:"):
            continue
        deps = section.get("deps")
        if deps is not None:
            yield from _deps(directory, [line for _, line in deps.parts])


def _from_tables(directory: Path, document: dict[str, Any]) -> Iterator[str]:
    tables = [document.get("env_run_base")]
    environments = document.get("env")
    if isinstance(environments, dict):
        tables += list(environments.values())
    for table in tables:
        deps = table.get("deps") if isinstance(table, dict) else None
        if isinstance(deps, list):
            yield from _deps(directory, [d for d in deps if isinstance(d, str)])


def _deps(directory: Path, lines: list[str]) -> Iterator[str]:
    """The requirements in `deps` lines, relative paths read from tox's
    directory."""
    cleaned = []
    for line in lines:
        line = _FACTORS.sub("", line.strip(), count=1)
        line = line.replace("{toxinidir}", str(directory))
        if line.startswith("{"):
            # `{[testenv]deps}` repeats another section, read on its own.
            continue
        cleaned.append(line)
    yield from requirement_lines(cleaned, directory, set())
