"""Adding markers to, and renaming tables of, TOML config files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import tomlkit

from asynclint.markers.facts import marker_name
from asynclint.markers.text_lines import append_block, insert_after_line, one_line
from asynclint.markers.toml_arrays import append_items, quoted, scan_array
from asynclint.markers.toml_lines import TomlLines, header_name
from asynclint.markers.toml_strings import extend_string, line_list

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def add_toml_markers(text: str, dedicated: bool, entries: Sequence[str]) -> str:
    """Register `entries` in the pytest table of a TOML config.

    `dedicated` is set for pytest.toml, whose table is `[pytest]`; in
    pyproject.toml it is `[tool.pytest]` when that holds native settings,
    else `[tool.pytest.ini_options]`, created if missing.
    """
    document = _parse(text)
    if document is None:
        return text
    table_name = "pytest" if dedicated else _pyproject_table(document)
    table = _lookup(document, table_name)
    value = table.get("markers", []) if isinstance(table, dict) else []
    if isinstance(value, str):
        return _add_to_string(text, table_name, value, entries)
    if not isinstance(value, list):
        return text
    present = {marker_name(v) for v in value if isinstance(v, str)}
    new = list(dict.fromkeys(e for e in entries if marker_name(e) not in present))
    if not new:
        return text
    wanted = [*value, *new]
    edited = _edit_text(text, table_name, table is not None, new)
    if edited is not None and _markers(edited, table_name) == wanted:
        return edited
    edited = _edit_document(text, table_name, new)
    return edited if _markers(edited, table_name) == wanted else text


def _add_to_string(text: str, name: str, value: str, entries: Sequence[str]) -> str:
    """Register `entries` in a `markers` given as one string of lines."""
    present = {marker_name(line) for line in line_list(value)}
    # Each line of the string is an entry: a description's lines are joined.
    new = [one_line(e) for e in entries if marker_name(e) not in present]
    new = list(dict.fromkeys(new))
    if not new:
        return text
    start = _value_start(text, name)
    edited = None if start is None else extend_string(text, start, value, new)
    if edited is None:
        return text
    after = _lookup(_parse(edited) or {}, name)
    result = after.get("markers") if isinstance(after, dict) else None
    wanted = line_list(value) + new
    return edited if isinstance(result, str) and line_list(result) == wanted else text


def _value_start(text: str, name: str) -> int | None:
    """The offset where the value of `markers` in `[name]` starts."""
    key = TomlLines(text).key(name, "markers")
    if key is None:
        return None
    line_offset = sum(len(line) for line in text.splitlines(keepends=True)[: key - 1])
    equals = text.find("=", line_offset)
    if equals < 0:
        return None
    start = equals + 1
    while text[start : start + 1] in (" ", "\t"):
        start += 1
    return start


def _pyproject_table(document: dict[str, Any]) -> str:
    pytest_table = _lookup(document, "tool.pytest")
    if isinstance(pytest_table, dict) and set(pytest_table) - {"ini_options"}:
        return "tool.pytest"
    return "tool.pytest.ini_options"


def _edit_text(text: str, name: str, exists: bool, new: list[str]) -> str | None:
    """The edit as a minimal text change, or None where the layout is unusual."""
    lines = TomlLines(text)
    if not exists:
        quoted_items = ["    " + quoted(e, '"') + "," for e in new]
        return append_block(text, [f"[{name}]", "markers = [", *quoted_items, "]"])
    header = lines.header(name)
    if header is None:
        return None
    key = lines.key(name, "markers")
    if key is None:
        items = ", ".join(quoted(e, '"') for e in new)
        return insert_after_line(
            text, _last_content_line(text, header), [f"markers = [{items}]"]
        )
    line_offset = sum(len(line) for line in text.splitlines(keepends=True)[: key - 1])
    equals = text.find("=", line_offset)
    open_index = text.find("[", equals)
    if equals < 0 or open_index < 0 or text[equals + 1 : open_index].strip():
        return None
    layout = scan_array(text, open_index)
    return None if layout is None else append_items(text, layout, new)


def _last_content_line(text: str, header: int) -> int:
    """The last line of the table at `header` that holds a value."""
    last = header
    lines = text.splitlines()
    for number in range(header + 1, len(lines) + 1):
        line = lines[number - 1]
        if header_name(line) is not None or line.lstrip().startswith("[["):
            break
        if line.strip() and not line.lstrip().startswith("#"):
            last = number
    return last


def _edit_document(text: str, name: str, new: list[str]) -> str:
    """The same edit through tomlkit, for layouts the text edit declines."""
    try:
        document = tomlkit.parse(text)
        container: Any = document
        for part in name.split("."):
            if part not in container:
                container[part] = tomlkit.table(
                    is_super_table=part != name.split(".")[-1]
                )
            container = container[part]
        if "markers" not in container:
            container["markers"] = tomlkit.array()
        for entry in new:
            container["markers"].append(entry)
        return tomlkit.dumps(document)
    except Exception:  # noqa: BLE001 - tomlkit raises many types; keep the text
        return text


def _parse(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError:
        return None


def _lookup(document: dict[str, Any], name: str) -> Any:
    value: Any = document
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _markers(text: str, name: str) -> list[object] | None:
    document = _parse(text)
    table = None if document is None else _lookup(document, name)
    value = table.get("markers") if isinstance(table, dict) else None
    return value if isinstance(value, list) else None


def rename_toml_table(text: str, old: str, new: str) -> str:
    """Replace the first header `old` (e.g. `[pytest]`) by `new`."""
    wanted = old.strip("[]")
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if header_name(line.lstrip("\ufeff")) == wanted:
            start = line.index("[")
            end = line.index("]", start) + 1
            lines[index] = line[:start] + new + line[end:]
            return "".join(lines)
    return text
