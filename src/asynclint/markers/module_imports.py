"""What a module's top-level statements import, and the plugins it names
in `pytest_plugins`: read from statements alone, never from expressions."""

from __future__ import annotations

import ast


def statements_in(node: ast.AST) -> list[ast.AST]:
    """The statements nested right inside `node` (and its `except` and
    `case` clauses, which hold statements), without any expression."""
    found: list[ast.AST] = []
    for name in ("body", "handlers", "orelse", "finalbody", "cases"):
        value = getattr(node, name, None)
        if isinstance(value, list):
            found.extend(value)
    return found


def imports_pytest(tree: ast.Module) -> bool:
    """Whether any statement of the module imports pytest or _pytest."""
    # Imports are statements: expressions need not be walked.
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        pending.extend(statements_in(node))
        if isinstance(node, ast.Import):
            heads = {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            heads = {(node.module or "").split(".")[0]}
        else:
            continue
        if heads & {"pytest", "_pytest"}:
            return True
    return False


def unconditional_imports(tree: ast.Module) -> tuple[str, ...]:
    """Top-level packages of the module's own top-level absolute imports."""
    heads: dict[str, None] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            heads.update((a.name.split(".")[0], None) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            heads[node.module.split(".")[0]] = None
    return tuple(heads)


def pytest_plugins(tree: ast.Module) -> tuple[str, ...]:
    """Module names in a top-level `pytest_plugins = ...` assignment."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value:
            targets, value = [node.target], node.value
        else:
            continue
        if not any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in targets
        ):
            continue
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        for item in items:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                names.append(item.value)
    return tuple(names)
