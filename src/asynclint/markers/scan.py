"""One walk over a module's `ast` tree that collects its `MarkerFacts`."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.markers.applied_marks import (
    NO_MARKS,
    Marks,
    class_marks,
    decorator_marks,
    pytestmark,
)
from asynclint.markers.bindings import Resolver, ScopeTable, scope_table
from asynclint.markers.facts import (
    AsyncDefinition,
    MarkerFacts,
    MarkerUse,
    Registration,
)
from asynclint.markers.module_imports import (
    imports_pytest,
    pytest_plugins,
    statements_in,
    unconditional_imports,
)
from asynclint.markers.positions import Positions
from asynclint.markers.spelling import is_close
from asynclint.types import CodePosition, CodeRange

_FUNCTIONS = ast.FunctionDef | ast.AsyncFunctionDef
_BLOCKS = ast.If | ast.Try | ast.With
# Where a definition sits, which decides whether pytest collects it.
_MODULE, _TEST_CLASS, _ELSEWHERE = "module", "test-class", "elsewhere"
# Every marker use and registration is spelled with one of these: a use
# (`pytest.mark.x`, `from pytest import mark`, `getattr(pytest.mark, n)`),
# a registration (`config.addinivalue_line`), a plugin running coroutines.
_USE_HINTS = ("mark", "addinivalue_line", "pytest_pyfunc_call")
# Hooks that may add marks to collected tests, which no reading can follow.
_MARKING_HOOKS = frozenset(
    {
        "pytest_collection_modifyitems",
        "pytest_generate_tests",
        "pytest_itemcollected",
        "pytest_pycollect_makeitem",
    }
)


@dataclass(slots=True)
class Collector:
    """Accumulates marker uses, registrations and async definitions."""

    positions: Positions
    module: ScopeTable
    uses: list[MarkerUse] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    async_definitions: list[AsyncDefinition] = field(default_factory=list)
    dynamic: bool = False
    runs_coroutines: bool = False
    marks_items: bool = False
    autouse: bool = False
    # False when the text cannot hold a marker use or registration: only
    # statements are walked then, for the async tests and fixtures.
    expressions: bool = True
    _wider: dict[int, CodeRange] = field(default_factory=dict)

    def walk(
        self,
        nodes: Sequence[ast.AST],
        resolver: Resolver,
        functions: tuple[ScopeTable, ...] = (),
        hook: str | None = None,
        place: str = _MODULE,
        marks: Marks = NO_MARKS,
    ) -> None:
        """Visit `nodes` of one scope; `functions` are the enclosing ones,
        `marks` those the scope gives the tests defined in it."""
        for node in nodes:
            if isinstance(node, _FUNCTIONS | ast.ClassDef):
                self._enter(node, resolver, functions, hook, place, marks)
                continue
            if isinstance(node, ast.Attribute):
                self._attribute(node, resolver)
            elif isinstance(node, ast.Call):
                self._call(node, resolver, hook)
            # Definitions under `if`/`try`/`with` still sit in this scope.
            inner = place if isinstance(node, _BLOCKS) else _ELSEWHERE
            if self.expressions:
                children = list(ast.iter_child_nodes(node))
            else:
                children = statements_in(node)
            self.walk(children, resolver, functions, hook, inner, marks)

    def _enter(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
        resolver: Resolver,
        functions: tuple[ScopeTable, ...],
        hook: str | None,
        place: str,
        marks: Marks,
    ) -> None:
        if not isinstance(node, ast.ClassDef):
            self._note_hooks(node, resolver)
        outside: list[ast.AST] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            outside += [*node.bases, *node.keywords]
        else:
            outside += node.args.defaults
            outside += [d for d in node.args.kw_defaults if d is not None]
        if self.expressions:
            self.walk(outside, resolver, functions, hook, _ELSEWHERE)
        elif not _holds_async_definition(node.body):
            # Only async tests and fixtures are looked for, and none is
            # inside: the scope's names need not be read.
            if isinstance(node, ast.AsyncFunctionDef):
                self._async_definition(node, resolver, place, marks)
            return

        table = scope_table(node, Resolver(functions, self.module))
        if isinstance(node, ast.ClassDef):
            inner = Resolver((table, *functions), self.module)
            test_class = place == _MODULE and node.name.startswith("Test")
            # pytest hands a `unittest` test case to unittest, which runs
            # an `IsolatedAsyncioTestCase`'s async tests itself; a plain
            # `TestCase`'s never run, but no plugin would change that.
            # Known gap: a base defined in another module is not followed.
            unittest_case = any(
                (resolver.qualified(base) or "").startswith("unittest.")
                for base in node.bases
            )
            where = _TEST_CLASS if test_class and not unittest_case else _ELSEWHERE
            own = marks.plus(class_marks(node, inner))
            self.walk(node.body, inner, functions, hook, where, own)
            return
        if isinstance(node, ast.AsyncFunctionDef):
            self._async_definition(node, resolver, place, marks)
        nested = (table, *functions)
        inner_hook = node.name if node.name == "pytest_configure" else hook
        body = Resolver(nested, self.module)
        self.walk(node.body, body, nested, inner_hook, _ELSEWHERE)

    def _note_hooks(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, resolver: Resolver
    ) -> None:
        """Record the hooks and autouse fixtures that change which tests a
        plugin runs."""
        if node.name == "pytest_pyfunc_call":
            self.runs_coroutines = True
        self.marks_items |= node.name in _MARKING_HOOKS
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and _is_fixture(decorator, resolver):
                self.autouse |= any(
                    k.arg == "autouse"
                    and not (isinstance(k.value, ast.Constant) and not k.value.value)
                    for k in decorator.keywords
                )

    def _async_definition(
        self,
        node: ast.AsyncFunctionDef,
        resolver: Resolver,
        place: str,
        marks: Marks,
    ) -> None:
        is_fixture = any(_is_fixture(d, resolver) for d in node.decorator_list)
        is_test = place in (_MODULE, _TEST_CLASS) and node.name.startswith("test")
        if not (is_fixture or is_test):
            return
        if not is_fixture and not all(
            _is_mark(d, resolver) for d in node.decorator_list
        ):
            # Any other decorator may run the coroutine itself and hand
            # pytest a plain function (tornado's `gen_test` does).
            return
        arguments = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        arguments += [a.arg for a in node.args.kwonlyargs]
        start = self.positions.point(node.lineno, node.col_offset)
        end = CodePosition(start.line, start.column + len(f"async def {node.name}"))
        where = CodeRange(start, end)
        marks = marks.plus(decorator_marks(node.decorator_list, resolver))
        definition = AsyncDefinition(
            node.name, where, is_fixture, tuple(arguments), marks.names, marks.known
        )
        self.async_definitions.append(definition)

    def _attribute(self, node: ast.Attribute, resolver: Resolver) -> None:
        if not isinstance(node.ctx, ast.Load) or node.attr.startswith("_"):
            return
        if resolver.qualified(node.value) != "pytest.mark":
            return
        name = self.positions.attribute_name(node)
        whole = self._wider.get(id(node), self.positions.span(node))
        self.uses.append(MarkerUse(node.attr, name, whole))

    def _call(self, node: ast.Call, resolver: Resolver, hook: str | None) -> None:
        callee = node.func
        if isinstance(callee, ast.Attribute):
            # `pytest.mark.x(...)` and `pytest.mark.x.with_args(...)` are one
            # use each, reported over the whole call.
            target = callee
            if callee.attr == "with_args" and isinstance(callee.value, ast.Attribute):
                target = callee.value
            self._wider[id(target)] = self.positions.span(node)
        if isinstance(callee, ast.Name) and callee.id == "getattr":
            self._getattr(node, resolver)
        is_add = isinstance(callee, ast.Attribute) and callee.attr == "addinivalue_line"
        if is_add and hook == "pytest_configure":
            self._registration(node)

    def _registration(self, node: ast.Call) -> None:
        key, line = _argument(node, 0, "name"), _argument(node, 1, "line")
        if not isinstance(key, str):
            return
        if key != "markers" and not is_close(key.strip().lower(), "markers"):
            return
        if isinstance(line, str):
            where = self.positions.span(node)
            self.registrations.append(Registration(key, line, where))
        elif key == "markers":
            self.dynamic = True

    def _getattr(self, node: ast.Call, resolver: Resolver) -> None:
        if len(node.args) < 2 or resolver.qualified(node.args[0]) != "pytest.mark":
            return
        name = node.args[1]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            where = self.positions.span(name)
            self.uses.append(MarkerUse(name.value, where, where, renamable=False))


def _is_mark(decorator: ast.expr, resolver: Resolver) -> bool:
    """`@pytest.mark.x` or `@pytest.mark.x(...)`: leaves the test as it is."""
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    return (resolver.qualified(decorator) or "").startswith("pytest.mark.")


def _is_fixture(decorator: ast.expr, resolver: Resolver) -> bool:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    return resolver.qualified(decorator) == "pytest.fixture"


def _argument(node: ast.Call, index: int, keyword: str) -> object:
    """The constant value of a positional or keyword argument, if any."""
    value: ast.expr | None = node.args[index] if len(node.args) > index else None
    for item in node.keywords:
        if item.arg == keyword:
            value = item.value
    return value.value if isinstance(value, ast.Constant) else None


def file_facts(tree: ast.Module, path: Path, source: str | None = None) -> MarkerFacts:
    """The marker facts of one module, from its tree alone.

    `source`, when given, turns the tree's byte columns into characters.
    """
    positions = Positions(tuple(source.splitlines()) if source is not None else None)
    module = scope_table(tree, None)
    collector = Collector(positions, module)
    if source is not None:
        collector.expressions = any(hint in source for hint in _USE_HINTS)
    resolver = Resolver((), module)
    collector.walk(tree.body, resolver, marks=pytestmark(tree.body, resolver))
    return MarkerFacts(
        path_name=path.name,
        imports_pytest=imports_pytest(tree),
        uses=tuple(collector.uses),
        registrations=tuple(collector.registrations),
        dynamic_registrations=collector.dynamic,
        pytest_plugins=pytest_plugins(tree),
        async_definitions=tuple(collector.async_definitions),
        runs_coroutines=collector.runs_coroutines,
        imports=unconditional_imports(tree),
        marks_items=collector.marks_items,
        autouse=collector.autouse,
    )


def _holds_async_definition(body: list[ast.stmt]) -> bool:
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.AsyncFunctionDef):
            return True
        pending.extend(statements_in(node))
    return False
