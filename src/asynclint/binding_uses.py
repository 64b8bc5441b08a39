"""The uses of what one assignment binds: after it, until the name is
bound again.

`c = factory()` followed by uses of `c` is judged by those uses; a use
before the statement, or after another binding of the name (`c =
Connection()`, a loop target, `except ... as c`), sees another value. The
order is the source order, which is the order of execution in straight
code; a loop may run a later line first, so what a rule makes of the
order should hold either way or lean to saying nothing.
"""

from __future__ import annotations

import ast
import sys

from asynclint.context import FileContext
from asynclint.sites import NameUse, Statement
from asynclint.summary import FunctionInfo

Position = tuple[int, int]


def uses_of_binding(
    context: FileContext,
    function: FunctionInfo | None,
    statement: Statement,
    names: list[str],
) -> list[NameUse] | None:
    """The uses of `names` (the targets of `statement`) in source order,
    from the statement to each name's next binding; None when a name is
    bound where the summary does not look (`:=`, `match`) or is declared
    `global` or `nonlocal`, so its uses cannot be told apart."""
    unrecorded = context.sites.unrecorded.get(id(function), set())
    start = _end(statement.node)
    uses: list[NameUse] = []
    for name in names:
        if name in unrecorded:
            return None
        end = _next_binding(context, function, name, start)
        if end is None:
            return None
        uses += [
            use
            for use in context.sites.name_uses(function, name)
            if start <= position(use.node) < end
        ]
    return sorted(uses, key=lambda use: position(use.node))


def _next_binding(
    context: FileContext, function: FunctionInfo | None, name: str, after: Position
) -> Position | None:
    """Where `name` is next bound after `after` in the scope (far away when
    it is not); None when it is declared global or nonlocal."""
    table = function.bindings if function is not None else context.module.bindings
    found = (sys.maxsize, 0)
    for binding in table.get(name, []):
        node = binding.node
        if node is None or isinstance(node, (ast.Global, ast.Nonlocal)):
            return None
        where = position(node)
        if after <= where < found:
            found = where
    return found


def position(node: ast.AST) -> Position:
    """Where a node starts, as (line, column)."""
    line: int = getattr(node, "lineno", 0)
    column: int = getattr(node, "col_offset", 0)
    return line, column


def _end(node: ast.stmt) -> Position:
    return node.end_lineno or node.lineno, node.end_col_offset or 0
