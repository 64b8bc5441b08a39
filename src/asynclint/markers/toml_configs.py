"""Loading `pyproject.toml`, `pytest.toml` and `.pytest.toml`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from asynclint.markers.configs import (
    READ_SETTINGS,
    IgnoredSection,
    MarkerLine,
    PytestConfig,
    marker_lines,
    split_addopts,
)
from asynclint.markers.toml_lines import TomlLines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_AT_LINE = re.compile(r"at line (\d+)")


def load_toml_config(path: Path, text: str) -> PytestConfig:
    """What pytest reads from one TOML config file."""
    if text.startswith("\ufeff"):
        # pytest hands the text to tomllib as read, and tomllib refuses a BOM.
        problem = "is not valid TOML: it starts with a byte order mark"
        return PytestConfig(path, True, problem=problem)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _AT_LINE.search(str(error))
        line = int(found.group(1)) if found else 1
        return PytestConfig(
            path, True, problem=f"is not valid TOML: {error}", problem_line=line
        )
    lines = TomlLines(text)
    if path.name == "pyproject.toml":
        return _pyproject(path, document, lines)
    return _pytest_toml(path, document, lines)


def _pyproject(path: Path, document: dict[str, Any], lines: TomlLines) -> PytestConfig:
    tool = document.get("tool")
    table = tool.get("pytest") if isinstance(tool, dict) else None
    ignored = _stray_pytest_table(document, lines, table is None)
    if not isinstance(table, dict):
        return PytestConfig(path, False, ignored=ignored)
    native = {k: v for k, v in table.items() if k != "ini_options"}
    ini_options = table.get("ini_options")
    # pytest tests both for truth: an empty ini_options table is no conflict.
    if native and ini_options:
        line = lines.header("tool.pytest.ini_options") or lines.header("tool.pytest")
        problem = "uses both [tool.pytest] and [tool.pytest.ini_options]"
        return PytestConfig(path, True, problem=problem, problem_line=line or 1)
    if native:
        return _from_table(path, native, lines, "tool.pytest", True, ignored)
    if isinstance(ini_options, dict):
        return _from_table(
            path, ini_options, lines, "tool.pytest.ini_options", False, ignored
        )
    return PytestConfig(path, False, ignored=ignored)


def _stray_pytest_table(
    document: dict[str, Any], lines: TomlLines, renamable: bool
) -> tuple[IgnoredSection, ...]:
    """A top-level [pytest] table, which pyproject.toml never reads."""
    if not isinstance(document.get("pytest"), dict):
        return ()
    line = lines.header("pytest")
    if line is None:
        return (IgnoredSection("pytest", 1, None),)
    replacement = "[tool.pytest]" if renamable else None
    return (IgnoredSection("[pytest]", line, replacement),)


def _pytest_toml(
    path: Path, document: dict[str, Any], lines: TomlLines
) -> PytestConfig:
    table = document.get("pytest")
    if isinstance(table, dict):
        return _from_table(path, table, lines, "pytest", True, ())
    loose = [k for k, v in document.items() if not isinstance(v, dict)]
    if loose:
        problem = f"has options outside a [pytest] table: {', '.join(loose)}"
        return PytestConfig(path, True, problem=problem)
    ignored: tuple[IgnoredSection, ...] = ()
    tool = document.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("pytest"), dict):
        native_only = "ini_options" not in tool["pytest"]
        name = "tool.pytest" if native_only else "tool.pytest.ini_options"
        line = lines.header(name)
        fixable = native_only and line is not None
        replacement = "[pytest]" if fixable else None
        ignored = (IgnoredSection(f"[{name}]", line or 1, replacement),)
    # A dedicated pytest.toml is the config even when it holds nothing.
    return PytestConfig(path, True, ignored=ignored)


def _from_table(
    path: Path,
    table: dict[str, Any],
    lines: TomlLines,
    name: str,
    native: bool,
    ignored: tuple[IgnoredSection, ...],
) -> PytestConfig:
    header = lines.header(name) or 1
    markers_line = lines.key(name, "markers") or header
    value = table.get("markers", [])
    markers: list[MarkerLine] = []
    if isinstance(value, str) and not native:
        markers = marker_lines(value, markers_line)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        markers = [MarkerLine(v.strip(), lines.item(v, markers_line)) for v in value]
        markers = [m for m in markers if m.text]
    else:
        problem = "option 'markers' must be a list of strings"
        return PytestConfig(path, True, problem=problem, problem_line=markers_line)
    addopts = table.get("addopts")
    settings = {k: _setting(table[k]) for k in READ_SETTINGS if k in table}
    return PytestConfig(
        path,
        True,
        section_line=header,
        markers=tuple(markers),
        addopts=split_addopts(addopts) if addopts is not None else (),
        addopts_line=lines.key(name, "addopts") or header,
        settings=settings,
        ignored=ignored,
    )


def _setting(value: object) -> str:
    """A TOML value the way the INI form would spell it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)
