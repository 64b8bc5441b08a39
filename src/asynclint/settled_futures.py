"""`Future.result()` on a future known to be done returns at once.

A `concurrent.futures.Future` that is done stays done (its state only
moves on: pending, running, finished or cancelled), and then `result()`
and `exception()` return, or raise, without waiting. Two ways of knowing
it is done are read, both about a local name of one function that holds
the future and is bound nowhere from that point on:

- a statement `await asyncio.wrap_future(name)` (alone, or as the value
  of an assignment) runs before the call on every path to it: it stands
  earlier in the same block as the call, or as one enclosing it. The
  awaited future is only settled by a done-callback of `name`, so the
  `await` returns only once `name` is done (a cancelled or failed one
  raises, and the code after it does not run);
- the call is in the body of `if name.done():`, or follows `if not
  name.done():` whose body always leaves the block (it ends in
  `return`, `raise`, `continue` or `break`).

Anything else (a `try` around the `await`, a rebinding, a name shared
with another scope) is not read, and the call is reported as before.
"""

from __future__ import annotations

import ast

from asynclint.infer import Inference
from asynclint.library import CallableSpec
from asynclint.summary import FunctionInfo
from asynclint.values import qualname_of_value

_SETTLED_READS = frozenset(
    {"concurrent.futures.Future.result", "concurrent.futures.Future.exception"}
)
_WRAP = "asyncio.wrap_future"
_JUMPS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def known_done(
    inference: Inference, call: ast.Call, function: FunctionInfo, spec: CallableSpec
) -> bool:
    """Whether `call`, a `result()` or `exception()` of a concurrent
    future written in `function`, reads a future already known done."""
    if spec.qualname not in _SETTLED_READS or not isinstance(call.func, ast.Attribute):
        return False
    receiver = call.func.value
    if not isinstance(receiver, ast.Name):
        return False
    found = inference.lookup(receiver.id, function)
    if found is None or found[1] is not function:
        return False  # not a local: another scope may rebind it
    path = _path_to(function.node.body, call)
    if path is None:
        return False
    proof = _proof_line(inference, function, receiver.id, path)
    return proof is not None and not _rebound_from(function, receiver.id, proof)


# One level on the way down to a call: a block, the index of the statement
# in it that holds the call, and which block of that statement holds it
# ("body", "orelse", ...), or None where the statement's own expressions do.
_Level = tuple[list[ast.stmt], int, str | None]


def _path_to(body: list[ast.stmt], call: ast.Call) -> list[_Level] | None:
    """The levels from a function body down to the statement whose own
    expressions hold `call`."""
    path: list[_Level] = []
    block = body
    while True:
        index = next((i for i, s in enumerate(block) if _spans(s, call)), None)
        if index is None:
            return None
        inner = _inner_block(block[index], call)
        path.append((block, index, inner[0] if inner else None))
        if inner is None:
            return path
        block = inner[1]


def _inner_block(stmt: ast.stmt, call: ast.Call) -> tuple[str, list[ast.stmt]] | None:
    """The block of `stmt` (by field name) that holds `call`, if any."""
    if isinstance(stmt, _SCOPES):
        return None
    for field in _BLOCKS:
        for item in getattr(stmt, field, []):
            if isinstance(item, (ast.ExceptHandler, ast.match_case)):
                if any(_spans(s, call) for s in item.body):
                    return field, item.body
            elif _spans(item, call):
                return field, getattr(stmt, field)
    return None


def _spans(stmt: ast.stmt, call: ast.Call) -> bool:
    start = (stmt.lineno, stmt.col_offset)
    end = (stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0)
    return (
        start <= (call.lineno, call.col_offset)
        and (
            call.end_lineno or call.lineno,
            call.end_col_offset or 0,
        )
        <= end
    )


def _proof_line(
    inference: Inference, function: FunctionInfo, name: str, path: list[_Level]
) -> int | None:
    """The line of a statement that shows `name` done before the call."""
    for block, index, field in reversed(path):
        holder = block[index]
        if (
            field == "body"
            and isinstance(holder, ast.If)
            and _tests_done(holder.test, name)
        ):
            return holder.lineno
        for stmt in reversed(block[:index]):
            if _awaits_wrapped(inference, function, stmt, name):
                return stmt.lineno
            if (
                isinstance(stmt, ast.If)
                and isinstance(stmt.test, ast.UnaryOp)
                and isinstance(stmt.test.op, ast.Not)
                and _tests_done(stmt.test.operand, name)
                and isinstance(stmt.body[-1], _JUMPS)
            ):
                return stmt.lineno
    return None


def _tests_done(test: ast.expr, name: str) -> bool:
    """`name.done()`, alone or as one operand of an `and`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_tests_done(value, name) for value in test.values)
    return (
        isinstance(test, ast.Call)
        and not test.args
        and not test.keywords
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "done"
        and isinstance(test.func.value, ast.Name)
        and test.func.value.id == name
    )


def _awaits_wrapped(
    inference: Inference, function: FunctionInfo, stmt: ast.stmt, name: str
) -> bool:
    """Whether `stmt` is `await asyncio.wrap_future(name)`, alone or
    assigned."""
    if not isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)):
        return False
    awaited = stmt.value
    if not isinstance(awaited, ast.Await) or not isinstance(awaited.value, ast.Call):
        return False
    wrap = awaited.value
    if len(wrap.args) != 1 or any(k.arg is None for k in wrap.keywords):
        return False
    argument = wrap.args[0]
    if not isinstance(argument, ast.Name) or argument.id != name:
        return False
    return qualname_of_value(inference.value(wrap.func, function)) == _WRAP


def _rebound_from(function: FunctionInfo, name: str, line: int) -> bool:
    """Whether `function` may bind `name` on or after `line`, or shares it
    with another scope (`global`, `nonlocal` anywhere inside it)."""
    for node in ast.walk(function.node):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
    pending: list[ast.AST] = list(function.node.body)
    while pending:
        node = pending.pop()
        if isinstance(node, _SCOPES):
            continue  # a nested scope binds names of its own
        if _binds(node, name) and getattr(node, "lineno", line) >= line:
            return True
        pending.extend(ast.iter_child_nodes(node))
    return False


def _binds(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.ExceptHandler):
        return node.name == name
    if isinstance(node, ast.alias):
        return (node.asname or node.name.partition(".")[0]) == name
    if isinstance(node, (ast.MatchAs, ast.MatchStar)):
        return node.name == name
    if isinstance(node, ast.MatchMapping):
        return node.rest == name
    return False
