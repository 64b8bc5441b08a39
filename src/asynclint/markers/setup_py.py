"""The requirements a setup.py hands to `setup()`, read off its syntax tree.

The file is parsed, never run. Only what the text states is read: literal
strings, lists, tuples, sets and dicts given as `install_requires`,
`extras_require` or `tests_require`, directly or through names the module
binds at its top level (`tests_require = [...]`, `dev = tests_require +
[...]`, `kwargs["extras_require"] = extras` before `setup(**kwargs)`).
Anything computed (a call reading a file, a comprehension) declares
nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeGuard

from asynclint.markers.bindings import Resolver, scope_table

_KEYWORDS = ("install_requires", "extras_require", "tests_require")
_SETUP = "setuptools.setup"
# Builtins that keep the strings of the one collection they are given.
_COLLECTING = frozenset({"list", "tuple", "set", "sorted", "frozenset"})


def setup_requirements(text: str) -> list[str]:
    """The requirement strings `text`, a setup.py, passes to `setup()`."""
    try:
        tree = ast.parse(text.removeprefix("\ufeff"))
        resolver = Resolver((), scope_table(tree, None))
        values = _TopLevel.of(tree)
        found: list[str] = []
        for call in _setup_calls(tree.body, resolver):
            found += values.arguments(call)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return found


@dataclass(slots=True)
class _TopLevel:
    """The strings the module's top-level statements bind, in their order.

    `lists` holds what a name bound to a collection holds, `texts` a name
    bound to one string, `tables` a name bound to a dict, by key (items
    stored later, `kwargs["extras_require"] = ...`, included).
    """

    lists: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, tree: ast.Module) -> _TopLevel:
        """The bindings of `tree`'s own statements (none under `if` or `def`)."""
        values = cls()
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                values.assign(node.targets[0], node.value)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                values.assign(node.target, node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
                values.extend(node.target, node.value)
        return values

    def assign(self, target: ast.expr, value: ast.expr) -> None:
        """Record `target = value`, `value` read with the bindings so far."""
        if isinstance(target, ast.Name):
            name = target.id
            text, table = self.string(value), self.table(value)
            strings = self.strings(value) if text is None and table is None else []
            for kept in (self.lists, self.texts, self.tables):
                kept.pop(name, None)
            if table is not None:
                self.tables[name] = table
            elif text is not None:
                self.texts[name] = text
            else:
                self.lists[name] = strings
        elif (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id in self.tables
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
        ):
            self.tables[target.value.id][target.slice.value] = self.strings(value)

    def extend(self, target: ast.expr, value: ast.expr) -> None:
        """Record `target += value` on a name bound to a collection."""
        if isinstance(target, ast.Name) and target.id in self.lists:
            self.lists[target.id] += self.strings(value)

    def arguments(self, call: ast.Call) -> list[str]:
        """The requirement strings of one `setup(...)` call."""
        found: list[str] = []
        for keyword in call.keywords:
            if keyword.arg in _KEYWORDS:
                found += self.strings(keyword.value)
            elif keyword.arg is None:
                table = self.table(keyword.value) or {}
                found += [s for key in _KEYWORDS for s in table.get(key, ())]
        return found

    def table(self, node: ast.expr) -> dict[str, list[str]] | None:
        """A dict display, `dict(...)` call or name bound to one, by key."""
        if isinstance(node, ast.Name):
            return self.tables.get(node.id)
        pairs: list[tuple[ast.expr | None, ast.expr]] = []
        if isinstance(node, ast.Dict):
            pairs = list(zip(node.keys, node.values, strict=True))
        elif _called(node, "dict") and not node.args:
            pairs = [(ast.Constant(k.arg), k.value) for k in node.keywords if k.arg]
        else:
            return None
        return {
            key.value: self.strings(value)
            for key, value in pairs
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        }

    def strings(self, node: ast.expr) -> list[str]:
        """The strings a collection holds (a dict's values included); one
        string holds one requirement a line, as setuptools reads it."""
        text = self.string(node)
        if text is not None:
            return text.splitlines()
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return [s for e in node.elts if (s := self.string(e)) is not None]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.strings(node.left) + self.strings(node.right)
        if isinstance(node, ast.Name) and node.id in self.lists:
            return list(self.lists[node.id])
        if _called(node, *_COLLECTING) and len(node.args) == 1:
            return self.strings(node.args[0])
        table = self.table(node)
        return [s for values in (table or {}).values() for s in values]

    def string(self, node: ast.expr) -> str | None:
        """The text a string expression starts with, where the name is."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.string(node.left)
        if isinstance(node, ast.JoinedStr) and node.values:
            return self.string(node.values[0])
        if isinstance(node, ast.Name):
            return self.texts.get(node.id)
        return None


def _setup_calls(body: list[ast.stmt], resolver: Resolver) -> Iterator[ast.Call]:
    """`setup(...)` calls in module-level code, `if __name__ == ...` included."""
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.Call) and resolver.qualified(node.func) == _SETUP:
            yield node
        pending[:0] = list(ast.iter_child_nodes(node))


def _called(node: ast.expr, *names: str) -> TypeGuard[ast.Call]:
    """Whether `node` calls a builtin of one of `names` by its bare name."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in names
    )
