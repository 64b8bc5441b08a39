"""The distributions a project declares it needs, from its packaging files.

Every place a test run's packages are commonly named counts: the package's
own metadata (pyproject.toml, setup.cfg, setup.py), dependency groups and
the dev tables of uv, PDM and Poetry, Hatch environments, Pipfile, pip
requirement files (with the files they include) and tox's `deps`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from asynclint.markers.ini import parse_ini
from asynclint.markers.lenient_files import read_text, read_toml
from asynclint.markers.requirement_files import (
    required_by,
    requirement_files,
    requirement_name,
)
from asynclint.markers.setup_py import setup_requirements
from asynclint.markers.tox_dependencies import tox_requirements


def declared_distributions(directories: Iterable[Path]) -> frozenset[str]:
    """Normalised names of every requirement declared in `directories`."""
    return frozenset(declared_requirements(directories))


def declared_requirements(directories: Iterable[Path]) -> dict[str, list[str]]:
    """Every requirement declared in `directories`, as written (a PEP 508
    string; a bare name where the file gives no such string: Poetry,
    Pipfile), by normalised distribution name."""
    found: dict[str, list[str]] = {}
    for directory in directories:
        for requirement in _declared_in(directory):
            name = requirement_name(requirement)
            if name:
                found.setdefault(name, []).append(requirement)
    return found


def packaging_files(directory: Path) -> list[Path]:
    """The files in `directory` that `declared_requirements` reads (those
    that exist; a file one of them includes with `-r` is not listed)."""
    named = ("pyproject.toml", "hatch.toml", "Pipfile", "setup.cfg", "setup.py")
    found = [directory / name for name in (*named, "tox.ini", "tox.toml")]
    found += requirement_files(directory)
    return [path for path in found if path.is_file()]


def _declared_in(directory: Path) -> Iterator[str]:
    yield from _from_pyproject(directory / "pyproject.toml")
    yield from _from_hatch_toml(directory / "hatch.toml")
    yield from _from_pipfile(directory / "Pipfile")
    yield from _from_setup_cfg(directory / "setup.cfg")
    yield from _from_setup_py(directory / "setup.py")
    yield from tox_requirements(directory)
    seen: set[Path] = set()
    for path in requirement_files(directory):
        yield from required_by(path, seen)


def _from_pyproject(path: Path) -> Iterator[str]:
    document = read_toml(path)
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
    requirements += _hatch_environments(_table(_table(tool, "hatch"), "envs"))
    yield from _strings(requirements)
    poetry = _table(tool, "poetry")
    tables = [_table(poetry, "dependencies"), _table(poetry, "dev-dependencies")]
    tables += [_table(g, "dependencies") for g in _table(poetry, "group").values()]
    for table in tables:
        yield from table


def _from_hatch_toml(path: Path) -> Iterator[str]:
    yield from _strings(_hatch_environments(_table(read_toml(path), "envs")))


def _hatch_environments(environments: dict[str, Any]) -> list[object]:
    """The requirements of Hatch environments (`[tool.hatch.envs.NAME]`)."""
    requirements: list[object] = []
    for environment in environments.values():
        table = environment if isinstance(environment, dict) else {}
        requirements += _list(table.get("dependencies"))
        requirements += _list(table.get("extra-dependencies"))
    return requirements


def _from_pipfile(path: Path) -> Iterator[str]:
    document = read_toml(path)
    for category in ("packages", "dev-packages"):
        yield from _table(document, category)


def _from_setup_cfg(path: Path) -> Iterator[str]:
    text = read_text(path)
    if text is None:
        return
    document = parse_ini(text)
    options = document.section("options")
    entries = [options.get("install_requires")] if options else []
    extras = document.section("options.extras_require")
    entries += list(extras.values) if extras else []
    for entry in entries:
        yield from (line for _, line in entry.parts) if entry else ()


def _from_setup_py(path: Path) -> Iterator[str]:
    text = read_text(path)
    yield from setup_requirements(text) if text is not None else ()


def _strings(requirements: list[object]) -> Iterator[str]:
    yield from (item for item in requirements if isinstance(item, str))


def _table(parent: Any, key: str) -> dict[str, Any]:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
