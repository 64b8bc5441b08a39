"""What each name in a module is bound to, scope by scope, from imports and
assignments: the resolver that tells `pytest.mark` apart from a look-alike."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

# Other public spellings of the objects the marker rules care about.
_CANONICAL = {
    "_pytest.mark.MARK_GEN": "pytest.mark",
    "_pytest.mark.structures.MARK_GEN": "pytest.mark",
    "_pytest.mark.param": "pytest.param",
    "_pytest.mark.structures.ParameterSet.param": "pytest.param",
    "_pytest.fixtures.fixture": "pytest.fixture",
    # A setup.py imports one as a fallback for the other; both take the
    # requirement keywords setuptools reads.
    "distutils.core.setup": "setuptools.setup",
}

_Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_Binding = str | None
_OWN_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def canonical(name: str) -> str:
    """The public qualified name for an internal spelling of it."""
    return _CANONICAL.get(name, name)


@dataclass(slots=True)
class ScopeTable:
    """The names one scope binds, each to a qualified name or to None."""

    names: dict[str, _Binding] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)

    def bind(self, name: str, value: _Binding) -> None:
        """Record a binding; two different bindings make the name unknown."""
        if name in self.names and self.names[name] != value:
            self.names[name] = None
        else:
            self.names[name] = value


@dataclass(frozen=True, slots=True)
class Resolver:
    """Resolves expressions to qualified names through a chain of scopes."""

    chain: tuple[ScopeTable, ...]
    module: ScopeTable

    def qualified(self, node: ast.expr) -> str | None:
        """`pytest.mark` for `pt.mark`, `mark` or `MARK_GEN` bound to it."""
        if isinstance(node, ast.Name):
            return self._lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return None if base is None else canonical(f"{base}.{node.attr}")
        return None

    def _lookup(self, name: str) -> str | None:
        for table in self.chain:
            if name in table.declared_global:
                return self.module.names.get(name)
            if name in table.names:
                return table.names[name]
        return self.module.names.get(name)


def scope_table(scope: _Scope, outer: Resolver | None) -> ScopeTable:
    """The bindings made directly in `scope`, resolved in order."""
    table = ScopeTable()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        for argument in _arguments(scope.args):
            table.bind(argument, None)
    chain = (table,) + (outer.chain if outer else ())
    resolver = Resolver(chain, outer.module if outer else table)
    for node in _own_nodes(scope):
        _bind_node(node, table, resolver)
    return table


def _arguments(args: ast.arguments) -> Iterator[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return (a.arg for a in every)


def _own_nodes(scope: _Scope) -> Iterator[ast.AST]:
    """Nodes evaluated in `scope` itself, not in nested functions or classes."""
    pending: list[ast.AST] = list(scope.body)
    while pending:
        node = pending.pop(0)
        yield node
        if isinstance(node, _OWN_SCOPES):
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign):
            # A plain name target is bound by `_bind_assignment`.
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            children = [t for t in targets if not isinstance(t, ast.Name)]
            pending[:0] = children + ([node.value] if node.value else [])
            continue
        pending[:0] = list(ast.iter_child_nodes(node))


def _bind_node(node: ast.AST, table: ScopeTable, resolver: Resolver) -> None:
    if isinstance(node, ast.Global | ast.Nonlocal):
        table.declared_global.update(node.names)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                table.bind(alias.asname, canonical(alias.name))
            else:
                head = alias.name.split(".")[0]
                table.bind(head, head)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            source = None
            if node.level == 0 and node.module and alias.name != "*":
                source = canonical(f"{node.module}.{alias.name}")
            table.bind(alias.asname or alias.name, source)
    elif isinstance(node, ast.Assign | ast.AnnAssign):
        _bind_assignment(node, table, resolver)
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        table.bind(node.name, None)
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
        # Loop targets, `with ... as`, walrus, augmented assignment: values
        # that are not a plain alias of something importable.
        table.bind(node.id, None)


def _bind_assignment(
    node: ast.Assign | ast.AnnAssign, table: ScopeTable, resolver: Resolver
) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = None if node.value is None else resolver.qualified(node.value)
    for target in targets:
        if isinstance(target, ast.Name):
            table.bind(target.id, value)
