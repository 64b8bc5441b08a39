"""Positions in characters for `ast` nodes, whose columns count UTF-8 bytes."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from asynclint.types import CodePosition, CodeRange


@dataclass(frozen=True, slots=True)
class Positions:
    """Converts `ast` offsets; without the source, bytes count as characters."""

    lines: tuple[str, ...] | None = None

    def point(self, line: int, byte_column: int) -> CodePosition:
        """The position `byte_column` bytes into 1-based `line`."""
        if self.lines is None or not 0 < line <= len(self.lines):
            return CodePosition(line, byte_column)
        prefix = self.lines[line - 1].encode("utf-8")[:byte_column]
        return CodePosition(line, len(prefix.decode("utf-8", "replace")))

    def span(self, node: ast.expr | ast.stmt) -> CodeRange:
        """The range a node covers."""
        start = self.point(node.lineno, node.col_offset)
        end_line = node.end_lineno or node.lineno
        end_column = node.end_col_offset or node.col_offset
        return CodeRange(start, self.point(end_line, end_column))

    def attribute_name(self, node: ast.Attribute) -> CodeRange:
        """The range of the name after the dot, which always ends the node."""
        end = self.span(node).end
        start = CodePosition(end.line, max(end.column - len(node.attr), 0))
        return CodeRange(start, end)
