"""When `x = [await] factory()` can safely become `async with factory() as x:`."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asynclint.sites import (
    ASSIGNED,
    CLOSURE,
    CONTAINED,
    RETURNED,
    STORED,
    YIELDED,
    Sites,
    Statement,
)
from asynclint.summary import FunctionInfo
from asynclint.types import Applicability, Fix, WrapInAsyncWith

if TYPE_CHECKING:
    from asynclint.context import FileContext

# Uses through which the value may outlive the block: an alias or a
# container can be returned or stored after the `async with` has closed it.
_ESCAPES = frozenset({RETURNED, STORED, YIELDED, CLOSURE, ASSIGNED, CONTAINED})


def can_wrap(
    sites: Sites, statement: Statement | None, name: str, function: FunctionInfo | None
) -> bool:
    """True when the rest of the block can become the `async with` body.

    The value must not outlive the block: every use of `name` stands in the
    statements after the assignment, in the same block, and none returns,
    yields, stores, aliases, puts in a container or captures it (a closure
    could run after the block).
    """
    if statement is None or function is None or not function.is_async:
        return False
    if not isinstance(statement.node, ast.Assign):
        return False
    rest = statement.block[statement.index + 1 :]
    if not rest:
        return False
    first, last = rest[0].lineno, rest[-1].end_lineno or rest[-1].lineno
    uses = sites.name_uses(function, name)
    if not uses:
        return False
    for use in uses:
        if use.use in _ESCAPES or not first <= use.node.lineno <= last:
            return False
    assignments = function.bindings.get(name, [])
    return len(assignments) == 1 and _only_statement_on_line(statement)


def _only_statement_on_line(statement: Statement) -> bool:
    """A `a = f(); b` line cannot be split into a block header safely."""
    node = statement.node
    for other in statement.block:
        if other is not node and (
            other.lineno == node.lineno or other.lineno == node.end_lineno
        ):
            return False
    return True


__all__ = ["ASSIGNED", "can_wrap"]


def wrap_fix(
    context: FileContext,
    statement: Statement | None,
    name: str,
    function: FunctionInfo | None,
) -> Fix | None:
    """The safe `async with factory() as name:` fix, when `can_wrap` allows."""
    if statement is None or not can_wrap(context.sites, statement, name, function):
        return None
    return Fix(
        Applicability.SAFE,
        f"Use `async with ... as {name}:` around the rest of the block",
        WrapInAsyncWith(context.range(statement.node)),
    )
