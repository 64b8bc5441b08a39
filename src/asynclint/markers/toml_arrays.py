"""The layout of a TOML array of strings, and appending to it in its style."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asynclint.markers.text_lines import newline_of

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


@dataclass(frozen=True, slots=True)
class ArrayItem:
    """One string item: where it is, its quote, and a comma after it."""

    start: int
    end: int
    quote: str
    comma: int | None


@dataclass(frozen=True, slots=True)
class ArrayLayout:
    """Offsets of an array's brackets and items in the text."""

    open: int
    close: int
    items: tuple[ArrayItem, ...]


def scan_array(text: str, open_index: int) -> ArrayLayout | None:
    """The layout of the array whose `[` is at `open_index`; None if unusual."""
    items: list[ArrayItem] = []
    index = open_index + 1
    while index < len(text):
        char = text[index]
        if char in " \t\r\n":
            index += 1
        elif char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        elif char == "," and items and items[-1].comma is None:
            last = items[-1]
            items[-1] = ArrayItem(last.start, last.end, last.quote, index)
            index += 1
        elif char == "]":
            return ArrayLayout(open_index, index, tuple(items))
        elif char in "\"'":
            after = string_end(text, index)
            if after is None:
                return None
            triple = text.startswith(char * 3, index)
            quote = char * 3 if triple else char
            items.append(ArrayItem(index, after, quote, None))
            index = after
        else:
            return None
    return None


def string_end(text: str, start: int) -> int | None:
    """The offset just past the string literal starting at `start`."""
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    index = start + len(delimiter)
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
            continue
        if text.startswith(delimiter, index):
            return index + len(delimiter)
        if len(delimiter) == 1 and text[index] == "\n":
            return None
        index += 1
    return None


def quoted(value: str, quote: str) -> str:
    """`value` as a TOML string, in the literal style when that can hold it."""
    literal_ok = not any(c in value for c in "'\n\r\t")
    if quote == "'" and literal_ok:
        return f"'{value}'"
    return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'


def append_items(text: str, layout: ArrayLayout, values: Sequence[str]) -> str:
    """Add `values` after the last item, the way the array is written."""
    last = layout.items[-1] if layout.items else None
    quote = last.quote if last and len(last.quote) == 1 else '"'
    new = [quoted(v, quote) for v in values]
    if last is None:
        inside = text[layout.open + 1 : layout.close]
        if "\n" not in inside:
            return text[: layout.open + 1] + ", ".join(new) + text[layout.open + 1 :]
        return _append_below_comments(text, layout, new)
    after = last.comma + 1 if last.comma is not None else last.end
    if "\n" not in text[last.end : layout.close]:
        # `]` on the item's own line: continue the line, as written.
        added = (
            " " + ", ".join(new) + ","
            if last.comma is not None
            else ", " + ", ".join(new)
        )
        return text[:after] + added + text[after:]
    return _append_lines(text, last, new)


def _append_below_comments(text: str, layout: ArrayLayout, new: Sequence[str]) -> str:
    """Fill an empty multi-line array: below any comment it holds (a heading
    for the entries to come), indented like a comment on a line of its own."""
    inside = text[layout.open + 1 : layout.close]
    anchor = layout.open + 1 + len(inside.rstrip())
    line_start = text.rfind("\n", 0, anchor) + 1
    line = text[line_start:anchor]
    lead = line[: len(line) - len(line.lstrip())]
    own_line = line_start > layout.open and line.lstrip().startswith("#")
    indent = lead if own_line else "    "
    newline = newline_of(text)
    block = "".join(f"{newline}{indent}{item}," for item in new)
    return text[:anchor] + block + text[anchor:]


def _append_lines(text: str, last: ArrayItem, new: Sequence[str]) -> str:
    line_start = text.rfind("\n", 0, last.start) + 1
    lead = text[line_start : last.start]
    indent = lead if not lead.strip() else " " * len(lead)
    end_of_line = text.find("\n", last.end)
    if end_of_line < 0:
        end_of_line = len(text)
    elif end_of_line > 0 and text[end_of_line - 1] == "\r":
        end_of_line -= 1
    newline = newline_of(text)
    trailing = last.comma is not None
    lines = [indent + item + "," for item in new]
    if not trailing:
        lines[-1] = lines[-1][:-1]
    block = "".join(newline + line for line in lines)
    text = text[:end_of_line] + block + text[end_of_line:]
    if not trailing:
        text = text[: last.end] + "," + text[last.end :]
    return text
