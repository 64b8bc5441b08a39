"""The distributions a project declares it needs, from its packaging files."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from asynclint.markers.ini import parse_ini
from asynclint.markers.plugins import normalise
from asynclint.markers.setup_py import setup_requirements

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def declared_distributions(directories: Iterable[Path]) -> frozenset[str]:
    """Normalised names of every requirement declared in `directories`."""
    names: set[str] = set()
    for directory in directories:
        names.update(_from_pyproject(directory / "pyproject.toml"))
        names.update(_from_setup_cfg(directory / "setup.cfg"))
        names.update(_from_setup_py(directory / "setup.py"))
        for path in _requirement_files(directory):
            names.update(_from_requirements(path))
    return frozenset(names)


def requirement_name(requirement: str) -> str | None:
    """The distribution a PEP 508 requirement string names."""
    found = _NAME.match(requirement)
    return normalise(found.group(1)) if found else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return None


def _from_pyproject(path: Path) -> Iterator[str]:
    text = _read(path)
    if text is None:
        return
    try:
        document = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError:
        return
    project = _table(document, "project")
    requirements: list[object] = list(_list(project.get("dependencies")))
    for extra in _table(project, "optional-dependencies").values():
        requirements += _list(extra)
    for group in _table(document, "dependency-groups").values():
        requirements += _list(group)
    tool = _table(document, "tool")
    requirements += _list(_table(tool, "uv").get("dev-dependencies"))
    for group in _table(_table(tool, "pdm"), "dev-dependencies").values():
        requirements += _list(group)
    for item in requirements:
        name = requirement_name(item) if isinstance(item, str) else None
        if name:
            yield name
    poetry = _table(tool, "poetry")
    tables = [_table(poetry, "dependencies"), _table(poetry, "dev-dependencies")]
    tables += [_table(g, "dependencies") for g in _table(poetry, "group").values()]
    for table in tables:
        yield from (normalise(key) for key in table)


def _from_setup_cfg(path: Path) -> Iterator[str]:
    text = _read(path)
    if text is None:
        return
    document = parse_ini(text)
    options = document.section("options")
    entries = [options.get("install_requires")] if options else []
    extras = document.section("options.extras_require")
    entries += list(extras.values) if extras else []
    for entry in entries:
        for _, line in entry.parts if entry else ():
            name = requirement_name(line)
            if name:
                yield name


def _from_setup_py(path: Path) -> Iterator[str]:
    text = _read(path)
    for requirement in setup_requirements(text) if text is not None else ():
        name = requirement_name(requirement)
        if name:
            yield name


def _requirement_files(directory: Path) -> list[Path]:
    found = sorted(directory.glob("requirements*.txt"))
    found += sorted(directory.glob("requirements/*.txt"))
    return [path for path in found if path.is_file()]


def _from_requirements(path: Path) -> Iterator[str]:
    for line in (_read(path) or "").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        name = requirement_name(line)
        if name:
            yield name


def _table(parent: Any, key: str) -> dict[str, Any]:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
