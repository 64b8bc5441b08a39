"""The marks that apply to a test: its decorators, its class, its module.

pytest gives a test the marks of its own decorators, of its class (class
decorators, the class's `pytestmark`, and those its base classes carry)
and of its module's `pytestmark`. Where a mark may come from something
not read here, the result says so rather than guess.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from asynclint.markers.bindings import Resolver

_MARK = "pytest.mark."
_BLOCKS = ast.If | ast.Try | ast.With


@dataclass(frozen=True, slots=True)
class Marks:
    """Names of applied marks; `known` is False when more may apply."""

    names: tuple[str, ...] = ()
    known: bool = True

    def plus(self, other: Marks) -> Marks:
        """The marks of both."""
        names = tuple(dict.fromkeys((*self.names, *other.names)))
        return Marks(names, self.known and other.known)


NO_MARKS = Marks()


def decorator_marks(decorators: Iterable[ast.expr], resolver: Resolver) -> Marks:
    """Every mark named in `decorators`, those in their arguments included
    (`pytest.param(..., marks=pytest.mark.x)` in a `parametrize`)."""
    names: list[str] = []
    for decorator in decorators:
        for node in ast.walk(decorator):
            name = _mark_name(node, resolver)
            if name is not None:
                names.append(name)
    return Marks(tuple(dict.fromkeys(names)))


def class_marks(node: ast.ClassDef, resolver: Resolver) -> Marks:
    """Marks a class gives its tests: decorators and `pytestmark`.

    A base class may carry marks of its own, and a decorator that is not a
    mark may add some: either leaves the marks unknown.
    """
    marks = decorator_marks(node.decorator_list, resolver)
    plain = all(_is_mark(d, resolver) for d in node.decorator_list)
    bases = [b for b in node.bases if not _is_object(b)]
    if bases or not plain:
        marks = Marks(marks.names, known=False)
    return marks.plus(pytestmark(node.body, resolver))


def pytestmark(body: list[ast.stmt], resolver: Resolver) -> Marks:
    """The marks of the `pytestmark` assignments of a module or class body
    (those under `if` or `try` count as well)."""
    marks = NO_MARKS
    for value in _pytestmark_values(body):
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        names = [_mark_name(_callee(item), resolver) for item in items]
        known = all(name is not None for name in names)
        marks = marks.plus(Marks(tuple(n for n in names if n), known))
    return marks


def _pytestmark_values(body: list[ast.stmt]) -> Iterator[ast.expr]:
    pending: list[ast.stmt] = list(body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, _BLOCKS):
            for name in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, name, []))
            for handler in getattr(node, "handlers", []):
                pending.extend(handler.body)
            continue
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        else:
            continue
        named = any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets)
        if named and node.value is not None:
            yield node.value


def _callee(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _is_mark(decorator: ast.expr, resolver: Resolver) -> bool:
    return _mark_name(_callee(decorator), resolver) is not None


def _mark_name(node: ast.AST, resolver: Resolver) -> str | None:
    """`x` for `pytest.mark.x` (however `pytest.mark` is bound)."""
    if not isinstance(node, ast.Name | ast.Attribute):
        return None
    qualified = resolver.qualified(node) or ""
    if not qualified.startswith(_MARK):
        return None
    return qualified[len(_MARK) :].split(".", 1)[0] or None


def _is_object(base: ast.expr) -> bool:
    return isinstance(base, ast.Name) and base.id == "object"
