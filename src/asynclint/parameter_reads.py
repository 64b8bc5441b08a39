"""Whether a name read in a function still holds what a call passed.

A parameter holds the argument of the call until the function binds the
name again. A read on a line before any other binding, and in no loop
that could come back to it after one, still sees the argument; so the
literals and objects a call binds (`call_literals`) decide such reads.
"""

from __future__ import annotations

import ast

from asynclint.infer import Inference
from asynclint.statement_blocks import blocks_in
from asynclint.summary import FunctionInfo


def is_parameter(
    inference: Inference, name: ast.Name, function: FunctionInfo, own: bool = False
) -> bool:
    """Whether `name`, read in `function`, is a parameter bound nowhere else
    (with `own`, a parameter of `function` itself, not of an outer one)."""
    found = inference.lookup(name.id, function)
    if found is None or len(found[0]) != 1 or (own and found[1] is not function):
        return False
    return isinstance(found[0][0].node, ast.arg)


def holds_argument(
    inference: Inference, name: ast.Name, function: FunctionInfo
) -> bool:
    """Whether `name`, read in `function`, still holds what the call passed
    to the parameter of `function` it names: rebound, if at all, only on
    later lines, and the read is in no loop (which could run it again after
    the rebinding)."""
    found = inference.lookup(name.id, function)
    if found is None or found[1] is not function:
        return False
    bindings = found[0]
    if not any(isinstance(b.node, ast.arg) for b in bindings):
        return False
    if len(bindings) == 1:
        return True
    later = all(
        isinstance(b.node, ast.arg) or getattr(b.node, "lineno", 0) > name.lineno
        for b in bindings
    )
    return later and not in_loop(function, name.lineno)


def in_loop(function: FunctionInfo, line: int) -> bool:
    """Whether a `for` or `while` of `function` spans `line`."""
    pending = list(function.node.body)
    while pending:
        stmt = pending.pop()
        if stmt.lineno > line or (stmt.end_lineno or stmt.lineno) < line:
            continue
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            return True
        for block in blocks_in(stmt):
            pending.extend(block)
    return False
