"""The statement lists nested directly in a statement, through its `except`
and `case` clauses; a `def` or `class` holds none (its body runs
elsewhere)."""

from __future__ import annotations

import ast


def blocks_in(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested directly in `stmt`."""
    if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [stmt.body]
    if isinstance(stmt, ast.Match):
        return [case.body for case in stmt.cases]
    if hasattr(stmt, "handlers"):
        # `try` and `try*` (3.11) have the same fields.
        handlers: list[ast.ExceptHandler] = getattr(stmt, "handlers", [])
        blocks = [getattr(stmt, name) for name in ("body", "orelse", "finalbody")]
        return [*blocks, *(handler.body for handler in handlers)]
    return []
