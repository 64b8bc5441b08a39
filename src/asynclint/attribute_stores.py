"""The places a piece of code stores or deletes an attribute: `obj.attr =
...`, `del obj.attr`, an attribute as a `for` or `with` target, and calls
of `setattr`/`delattr` by those names.

Walking every expression node of a module is the costly way to find them,
and almost every store is the target of a statement. So the statements
are walked and their targets read; the expressions are walked too only
when the module's text may store inside one (`may_store_in_expressions`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TypeGuard

from asynclint.outlines import is_pending
from asynclint.statement_blocks import blocks_in

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# A store and the innermost `def` it is in (None: module or class level).
Store = tuple[ast.Attribute | ast.Call, FunctionNode | None]

_DYNAMIC = frozenset({"setattr", "delattr"})
# What an expression that stores must spell: `setattr`/`delattr`, or a
# comprehension (`for`) whose target holds a dot before its `in`. The
# pattern starts with a literal (no word boundary) so that the regular
# expression engine can skip to each `for`: with `\b` first it tried
# every position, a twentieth of a pre-commit run. Known gaps, never
# written in practice: a target split over lines inside brackets
# (`for (obj\n.attr) in ...`), or one whose subscript holds an `in`.
_COMPREHENSION_STORE = re.compile(r"for\s+(?:(?!\bin\b)[^\n.])*\.[^\n]*\bin\b")


def may_store_in_expressions(source: str) -> bool:
    """Whether `source` may store an attribute other than as a statement's
    target (an over-estimate: a `for` statement with an attribute target
    counts too)."""
    return (
        "setattr" in source
        or "delattr" in source
        or _COMPREHENSION_STORE.search(source) is not None
    )


def stores(
    root: ast.AST,
    in_expressions: bool = True,
    scope: FunctionNode | None = None,
    unread: bool = True,
) -> Iterator[Store]:
    """Every attribute store and `setattr`/`delattr` call under `root`
    (a module, class or function), with the `def` it sits in. With
    `in_expressions` False the module's text said no expression stores
    (`may_store_in_expressions`), and only statement targets are read.
    With `unread` False, a function body left out by an outline and not
    read yet is skipped (it holds no special store: outlines.py)."""
    if in_expressions:
        yield from _walk_all(root, scope, unread)
        return
    inner = root if isinstance(root, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
    body: list[ast.stmt] = getattr(root, "body", [])
    yield from _walk_statements(body, inner, unread)


def is_special_name(name: str) -> bool:
    """Whether `name` is spelled like a special method (`__x__`)."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _walk_all(
    node: ast.AST, scope: FunctionNode | None, unread: bool
) -> Iterator[Store]:
    children: list[ast.AST] | None = None
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        scope = node
        if not unread and is_pending(node.body):
            # Its decorators, defaults and annotations, not its body.
            children = [*node.decorator_list, node.args]
            if node.returns is not None:
                children.append(node.returns)
    for child in ast.iter_child_nodes(node) if children is None else children:
        if _is_store(child):
            yield child, scope
        yield from _walk_all(child, scope, unread)


def _is_store(node: ast.AST) -> TypeGuard[ast.Attribute | ast.Call]:
    if isinstance(node, ast.Attribute):
        return not isinstance(node.ctx, ast.Load)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _DYNAMIC
    )


def _walk_statements(
    body: list[ast.stmt], scope: FunctionNode | None, unread: bool
) -> Iterator[Store]:
    for stmt in body:
        for target in store_targets(stmt):
            for node in ast.walk(target):
                if isinstance(node, ast.Attribute) and not isinstance(
                    node.ctx, ast.Load
                ):
                    yield node, scope
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if unread or not is_pending(stmt.body):
                yield from _walk_statements(stmt.body, stmt, unread)
        elif isinstance(stmt, ast.ClassDef):
            yield from _walk_statements(stmt.body, scope, unread)
        else:
            for block in blocks_in(stmt):
                yield from _walk_statements(block, scope, unread)


def store_targets(stmt: ast.stmt) -> list[ast.expr]:
    """The expressions a statement stores to or deletes (its targets)."""
    if isinstance(stmt, (ast.Assign, ast.Delete)):
        return stmt.targets
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        return [stmt.target]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    return []
