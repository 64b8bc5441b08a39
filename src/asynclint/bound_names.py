"""The names a piece of syntax binds, for the scopes the summary does not
hold: comprehension targets, lambda parameters, `match` captures."""

from __future__ import annotations

import ast


def target(node: ast.expr) -> frozenset[str]:
    """The names a `for` target of a comprehension binds."""
    if isinstance(node, ast.Name):
        return frozenset((node.id,))
    if isinstance(node, ast.Starred):
        return target(node.value)
    if isinstance(node, (ast.Tuple, ast.List)):
        return frozenset().union(*(target(e) for e in node.elts))
    return frozenset()


def parameters(args: ast.arguments) -> frozenset[str]:
    """The names a lambda's parameters bind."""
    named = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    named += [a for a in (args.vararg, args.kwarg) if a is not None]
    return frozenset(a.arg for a in named)


def captures(pattern: ast.pattern) -> set[str]:
    """The names a `match` pattern binds (`case {"k": v, **rest}`)."""
    return {
        name
        for node in ast.walk(pattern)
        for name in (getattr(node, "name", None), getattr(node, "rest", None))
        if isinstance(name, str)
    }
