"""Adding markers to, and renaming sections of, INI-style config files."""

from __future__ import annotations

from collections.abc import Sequence

from asynclint.markers.facts import marker_name
from asynclint.markers.ini import parse_ini
from asynclint.markers.text_lines import append_block, insert_after_line, one_line

_INDENT = "    "


def add_ini_markers(text: str, section_name: str, entries: Sequence[str]) -> str:
    """Register `entries` in the `markers` of `[section_name]`."""
    document = parse_ini(text)
    if document.error is not None:
        return text
    # pytest reads each line of an INI `markers` value as an entry of its
    # own, and a line that is not indented ends the value (iniconfig then
    # rejects the file): a description's later lines can only be joined.
    entries = [one_line(entry) for entry in entries]
    section = document.section(section_name)
    if section is None:
        lines = [f"[{section_name}]", "markers ="]
        return append_block(text, lines + [_INDENT + e for e in entries])
    value = section.get("markers")
    present = {marker_name(t) for _, t in value.parts} if value else set()
    new = [e for e in entries if marker_name(e) not in present]
    if not new:
        return text
    if value is None:
        last = max(
            [section.line] + [_last_line(v.parts, v.line) for v in section.values]
        )
        return insert_after_line(text, last, ["markers ="] + [_INDENT + e for e in new])
    last = _last_line(value.parts, value.line)
    if not value.parts:
        last = _below_comments(text, last)
    indent = _INDENT
    if last != value.line:
        line = text.splitlines()[last - 1]
        indent = line[: len(line) - len(line.lstrip())]
    return insert_after_line(text, last, [indent + e for e in new])


def _below_comments(text: str, line: int) -> int:
    """The last of the indented comment lines right after `line`, which
    pytest reads as part of that value (a heading for the entries to come);
    `line` itself when there are none."""
    lines = text.splitlines()
    while line < len(lines):
        following = lines[line]
        indented = following[:1].isspace() and following.lstrip()[:1] in ("#", ";")
        if not indented:
            break
        line += 1
    return line


def _last_line(parts: tuple[tuple[int, str], ...], first: int) -> int:
    return parts[-1][0] if parts else first


def rename_ini_section(text: str, old: str, new: str) -> str:
    """Replace the first header `old` (e.g. `[tool:pytest]`) by `new`."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        bom = "\ufeff" if index == 0 and line.startswith("\ufeff") else ""
        header = line[len(bom) :].rstrip("\r\n")
        for char in "#;":
            header = header.split(char)[0]
        if header.rstrip() == old:
            lines[index] = bom + new + line[len(bom) + len(old) :]
            return "".join(lines)
    return text
