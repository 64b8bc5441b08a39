"""Everything a per-file rule may read about the file being checked."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.infer import Inference, Scope
from asynclint.sites import Sites
from asynclint.summary import FunctionInfo, ModuleSummary
from asynclint.types import CodePosition, CodeRange
from asynclint.values import Value


@dataclass(eq=False, slots=True)
class FileContext:
    """One checked file: its text, tree, summary, sites and the inference."""

    path: Path
    source: str
    module: ModuleSummary
    sites: Sites
    inference: Inference
    migration_targets: tuple[str, ...] = ()
    lines: list[str] = field(default_factory=list)
    _values: dict[tuple[int, int], Value] = field(default_factory=dict)
    # What a rule computes once per file and keeps for its later calls
    # (kept here, not on the inference, so that no cycle outlives the file).
    rule_memo: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lines = self.source.split("\n")

    def scope(self, function: FunctionInfo | None) -> Scope:
        return function if function is not None else self.module

    def value(self, expr: ast.expr, function: FunctionInfo | None) -> Value:
        """What `expr` evaluates to where it stands (each node once: several
        rules ask about the same call)."""
        key = (id(expr), id(function))
        found = self._values.get(key)
        if found is None:
            found = self.inference.value(expr, self.scope(function))
            self._values[key] = found
        return found

    def every_item_supports(
        self, node: ast.With | ast.AsyncWith, function: FunctionInfo | None, kind: str
    ) -> bool:
        """Whether every item of a `with` statement supports only `kind`
        ("sync" or "async"): then switching the statement's form fixes all."""
        from asynclint.protocols import context_support

        return all(
            context_support(self.inference, self.value(item.context_expr, function))
            == kind
            for item in node.items
        )

    def position(self, line: int, byte_column: int) -> CodePosition:
        """Convert an `ast` position (UTF-8 byte column) to characters."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return CodePosition(line, byte_column)
        prefix = text.encode("utf-8")[:byte_column]
        return CodePosition(line, len(prefix.decode("utf-8", errors="replace")))

    def range(self, node: ast.AST) -> CodeRange:
        """The source range of an `ast` node, in characters."""
        line: int = getattr(node, "lineno", 1)
        column: int = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = column
        return CodeRange(self.position(line, column), self.position(end_line, end_col))
