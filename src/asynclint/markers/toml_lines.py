"""Line numbers in TOML text, which `tomllib` does not report."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A table header on a line of its own; an array of arrays never ends in `]`
# followed only by a comment, so it is not mistaken for one.
_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]\s*(#.*)?$")


def header_name(line: str) -> str | None:
    """The dotted name of the `[table]` header on `line`, normalised."""
    found = _HEADER.match(line)
    if found is None:
        return None
    parts = [p.strip().strip("\"'") for p in found.group(1).split(".")]
    return ".".join(parts)


@dataclass(frozen=True, slots=True)
class TomlLines:
    """Finds headers, keys and string items by scanning the text's lines."""

    text: str

    def header(self, name: str) -> int | None:
        """The 1-based line of `[name]`, if written as a header."""
        for number, line in enumerate(self.text.splitlines(), 1):
            if header_name(line) == name:
                return number
        return None

    def key(self, table: str, key: str) -> int | None:
        """The line where `key = ...` starts inside `[table]`."""
        start = self.header(table)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        lines = self.text.splitlines()
        for number in range(start + 1, len(lines) + 1):
            line = lines[number - 1]
            if header_name(line) is not None:
                return None
            if pattern.match(line):
                return number
        return None

    def item(self, value: str, after: int) -> int:
        """The first line at or after `after` that holds the string `value`."""
        lines = self.text.splitlines()
        for number in range(after, len(lines) + 1):
            if value in lines[number - 1]:
                return number
        return after
