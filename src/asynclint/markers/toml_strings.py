"""Adding entries to a TOML string that pytest reads as a list of lines.

In `[tool.pytest.ini_options]` pytest takes a string for a line-list
option such as `markers` as its INI form: split at newlines, each line
stripped, blank lines dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from asynclint.markers.text_lines import newline_of
from asynclint.markers.toml_arrays import quoted, string_end

_BASIC_ESCAPES = {"\\": "\\\\", '"': '\\"'}


def line_list(value: str) -> list[str]:
    """The entries pytest reads from a line-list string."""
    return [line.strip() for line in value.split("\n") if line.strip()]


def extend_string(text: str, start: int, value: str, new: Sequence[str]) -> str | None:
    """The text with `new` (one-line entries) added to the string literal
    at offset `start`, whose value is `value`; None where the literal is
    not one this can extend.

    A multi-line string gets a line per entry, indented like its last
    entry; a one-line string becomes a basic string with `\\n` escapes.
    """
    end = string_end(text, start)
    if end is None:
        return None
    quote = text[start]
    if not text.startswith(quote * 3, start):
        joined = quoted("\n".join([value, *new]), '"')
        return text[:start] + joined + text[end:]
    lines = [_escaped(entry, quote) for entry in new]
    if any(line is None for line in lines):
        return None
    content_start, content_end = start + 3, end - 3
    content = text[content_start:content_end]
    indent = _indent(content)
    newline = newline_of(text)
    last_newline = content.rfind("\n")
    if last_newline >= 0 and not content[last_newline + 1 :].strip():
        # The closing quotes stand on a line of their own: add lines above.
        at = content_start + last_newline + 1
        block = "".join(f"{indent}{line}{newline}" for line in lines)
    else:
        at = content_end
        block = "".join(f"{newline}{indent}{line}" for line in lines)
    return text[:at] + block + text[at:]


def _escaped(entry: str, quote: str) -> str | None:
    """`entry` as the body of a line in a `quote`-delimited string."""
    if quote == '"':
        return "".join(_BASIC_ESCAPES.get(c, c) for c in entry)
    # A literal string holds anything but its own closing quotes.
    return None if "'''" in entry or entry.endswith("'") else entry


def _indent(content: str) -> str:
    """The indentation of the last entry of a multi-line string's content."""
    for line in reversed(content.split("\n")):
        if line.strip():
            return line[: len(line) - len(line.lstrip())]
    return "    "
