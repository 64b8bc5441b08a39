"""What one module defines: functions, classes and bindings, read from `ast`.

A summary keeps the `ast` nodes it was built from, so inference can look at
annotations, return values and assignments lazily, only when a check needs
them. Nothing here imports or evaluates the code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.outlines import LazyBody, parse_body

if TYPE_CHECKING:
    from asynclint.outlines import Deferred
    from asynclint.star_imports import StarFacts

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(eq=False, slots=True)
class Binding:
    """One way a name gets a value in a scope.

    `kind` is "function", "class", "import", "assign", "annotated", "with"
    (the target of a `with` item: `value` is the context expression and
    `member` "sync" or "async"), "unpack" (a name of a flat tuple target:
    `value` is the whole right-hand side, `unpacked` the name's index and
    the target's length), "star" (a `from m import *`, kept apart from
    the name tables in `ModuleSummary.star_imports`) or "opaque" (bound
    in a way we do not follow: a loop target, `del`, `global` from a
    function).
    """

    kind: str
    node: ast.AST | None = None
    function: FunctionInfo | None = None
    klass: ClassInfo | None = None
    module: str = ""
    member: str | None = None
    value: ast.expr | None = None
    annotation: ast.expr | None = None
    unpacked: tuple[int, int] | None = None


@dataclass(eq=False, slots=True)
class FunctionInfo:
    """A `def` or `async def`, with what inference needs from its body.

    The body of a function in an imported module may be left out until
    read (outlines.py): then its locals and returns are summarised the
    first time `bindings` or `returns` is read, and whether it is a
    generator comes from the outline."""

    node: FunctionNode
    module: ModuleSummary
    owner: ClassInfo | None
    parent: FunctionInfo | None
    is_async: bool
    _bindings: dict[str, list[Binding]] = field(default_factory=dict)
    _returns: list[ast.expr | None] = field(default_factory=list)
    always_raises: bool = False
    _scanned: tuple[bool, list[ast.Call], list[ast.Yield]] | None = None
    # Set for a left-out body: whether the function is a generator, and
    # that its body is still to be read.
    _generator: bool | None = None
    _pending: bool = False

    @property
    def bindings(self) -> dict[str, list[Binding]]:
        """Every name the function binds, parameters first."""
        if self._pending:
            self._load_body()
        return self._bindings

    @property
    def returns(self) -> list[ast.expr | None]:
        """The value of each `return` of the body (None: a bare `return`)."""
        if self._pending:
            self._load_body()
        return self._returns

    def _load_body(self) -> None:
        len(self.node.body)  # a LazyBody reads and summarises itself

    @property
    def is_generator(self) -> bool:
        if self._generator is not None:
            return self._generator
        return self._scan()[0]

    @property
    def calls(self) -> list[ast.Call]:
        """The calls the body makes directly (nested scopes excluded)."""
        return self._scan()[1]

    @property
    def yields(self) -> list[ast.Yield]:
        """The `yield` expressions of the body (nested scopes excluded)."""
        return self._scan()[2]

    def _scan(self) -> tuple[bool, list[ast.Call], list[ast.Yield]]:
        # Computed on first use: most summaries are read only for their
        # bindings, and walking every body is the costliest part of them.
        if self._scanned is None:
            self._scanned = _scan_expressions(self.node)
        return self._scanned

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def qualname(self) -> str:
        prefix = self.owner.qualname if self.owner else self.module.name
        return f"{prefix}.{self.node.name}"

    @property
    def kind(self) -> str:
        """ "coroutine", "async-generator", "generator" or "sync"."""
        if self.is_async:
            return "async-generator" if self.is_generator else "coroutine"
        return "generator" if self.is_generator else "sync"

    @property
    def parameters(self) -> list[ast.arg]:
        args = self.node.args
        params = [*args.posonlyargs, *args.args]
        if args.vararg:
            params.append(args.vararg)
        params.extend(args.kwonlyargs)
        if args.kwarg:
            params.append(args.kwarg)
        return params


@dataclass(eq=False, slots=True)
class ClassInfo:
    """A class statement: bases, methods and the attributes it assigns."""

    node: ast.ClassDef
    module: ModuleSummary
    methods: dict[str, list[FunctionInfo]] = field(default_factory=dict)
    class_bindings: dict[str, list[Binding]] = field(default_factory=dict)
    self_assignments: dict[str, list[tuple[ast.expr, FunctionInfo]]] = field(
        default_factory=dict
    )
    # Filled by inference on first need: how often the class body stores each
    # attribute name (kept here so that it lives and dies with the summary).
    attribute_stores: dict[str, int] | None = None

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def qualname(self) -> str:
        return f"{self.module.name}.{self.node.name}"


@dataclass(eq=False, slots=True)
class ModuleSummary:
    """Everything a module binds at top level, plus all its functions."""

    name: str
    path: Path
    is_package: bool
    tree: ast.Module
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    functions: list[FunctionInfo] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    function_of_node: dict[int, FunctionInfo] = field(default_factory=dict)
    # The module's `from m import *` statements in source order (kind
    # "star"); empty for almost every module, which then costs nothing.
    star_imports: list[Binding] = field(default_factory=list)
    # Filled by star_imports.py on first need, from this module alone.
    star_facts: StarFacts | None = None
    # How often the source text spells `__all__` (None: not counted), an
    # upper bound on the names that read or bind it: star_imports.py walks
    # the tree for them only when the text has more than it accepts.
    all_spellings: int | None = None
    # Whether the source text may store an attribute inside an expression
    # (attribute_stores.py; None: not looked at, so it may).
    expression_stores: bool | None = None
    # Filled by class_patches.py on first need: the objects the module
    # stores special methods on, with the scope each is evaluated in.
    special_stores: list[tuple[ast.expr, FunctionInfo | ModuleSummary]] | None = None
    # The outermost functions whose bodies other parts of the summary
    # depend on (by id), which an outline never leaves out (outlines.py).
    pinned: set[int] = field(default_factory=set)
    # For a module parsed with bodies left out: its source's lines, from
    # which each body is parsed when first read.
    lazy_source: list[str] | None = None

    def dispose(self) -> None:
        """Break the summary's reference cycles once nothing will read it.

        Functions, classes and bindings point at each other both ways; with
        the downward links cleared, a dropped summary is freed by reference
        counting, so a checking process can run with the cyclic garbage
        collector off (it costs a third of the run on a large tree).
        """
        for function in self.functions:
            function._bindings.clear()
            function._returns.clear()
            function._scanned = None
            function._pending = False
            body = function.node.body
            if isinstance(body, LazyBody):
                body.forget()
        for klass in self.classes:
            klass.methods.clear()
            klass.class_bindings.clear()
            klass.self_assignments.clear()
            klass.attribute_stores = None
        self.bindings.clear()
        self.functions.clear()
        self.classes.clear()
        self.function_of_node.clear()
        self.star_imports.clear()
        self.star_facts = None
        self.special_stores = None
        self.lazy_source = None


def summarize(
    tree: ast.Module,
    name: str,
    path: Path,
    is_package: bool,
    deferred: dict[int, Deferred] | None = None,
) -> ModuleSummary:
    """Build the summary of one parsed module; with `deferred`, of a
    skeleton whose listed bodies are read when needed (outlines.py)."""
    module = ModuleSummary(name, path, is_package, tree)
    _Collector(module, deferred).collect_body(tree.body, module.bindings, None, None)
    return module


def _bind(table: dict[str, list[Binding]], name: str, binding: Binding) -> None:
    table.setdefault(name, []).append(binding)


class _Collector:
    """Walks statements once, filling scopes; expressions are not walked."""

    def __init__(
        self, module: ModuleSummary, deferred: dict[int, Deferred] | None = None
    ) -> None:
        self.module = module
        self.deferred = deferred

    def collect_body(
        self,
        body: list[ast.stmt],
        table: dict[str, list[Binding]],
        function: FunctionInfo | None,
        klass: ClassInfo | None,
    ) -> None:
        for stmt in body:
            self.collect_stmt(stmt, table, function, klass)

    def collect_stmt(
        self,
        stmt: ast.stmt,
        table: dict[str, list[Binding]],
        function: FunctionInfo | None,
        klass: ClassInfo | None,
    ) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            info = self.collect_function(stmt, function, klass)
            _bind(table, stmt.name, Binding("function", stmt, function=info))
            if klass is not None and function is None:
                klass.methods.setdefault(stmt.name, []).append(info)
        elif isinstance(stmt, ast.ClassDef):
            cls = self.collect_class(stmt, function)
            _bind(table, stmt.name, Binding("class", stmt, klass=cls))
            self.pin(function)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    binding = Binding("import", stmt, module=alias.name)
                    _bind(table, alias.asname, binding)
                else:
                    top = alias.name.split(".")[0]
                    _bind(table, top, Binding("import", stmt, module=top))
        elif isinstance(stmt, ast.ImportFrom):
            base = self.absolute_module(stmt)
            for alias in stmt.names:
                if alias.name == "*":
                    # Only legal at module level; its names are known only
                    # from the other module (star_imports.py).
                    star = Binding("star", stmt, module=base)
                    self.module.star_imports.append(star)
                    continue
                binding = Binding("import", stmt, module=base, member=alias.name)
                _bind(table, alias.asname or alias.name, binding)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                self.bind_target(target, stmt.value, table, stmt)
        elif isinstance(stmt, ast.AnnAssign):
            if isinstance(stmt.target, ast.Name):
                binding = Binding(
                    "annotated", stmt, value=stmt.value, annotation=stmt.annotation
                )
                _bind(table, stmt.target.id, binding)
            elif function is not None and stmt.value is not None:
                self.note_self_assignment(stmt.target, stmt.value, function)
        elif isinstance(stmt, ast.AugAssign):
            self.bind_target(stmt.target, None, table, stmt)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.bind_target(stmt.target, None, table, stmt)
            self.collect_body(stmt.body, table, function, klass)
            self.collect_body(stmt.orelse, table, function, klass)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                bound = item.optional_vars
                if isinstance(bound, ast.Name):
                    kind = "async" if isinstance(stmt, ast.AsyncWith) else "sync"
                    binding = Binding(
                        "with", stmt, value=item.context_expr, member=kind
                    )
                    _bind(table, bound.id, binding)
                elif bound is not None:
                    self.bind_target(bound, None, table, stmt)
            self.collect_body(stmt.body, table, function, klass)
        elif isinstance(stmt, (ast.If, ast.While)):
            self.collect_body(stmt.body, table, function, klass)
            self.collect_body(stmt.orelse, table, function, klass)
        elif isinstance(stmt, ast.Try) or _is_try_star(stmt):
            self.collect_try(stmt, table, function, klass)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self.collect_body(case.body, table, function, klass)
        elif isinstance(stmt, (ast.Global, ast.Nonlocal)) and function is not None:
            self.pin(function)
            for name in stmt.names:
                _bind(table, name, Binding("opaque", stmt))
                self.module.bindings.setdefault(name, []).append(
                    Binding("opaque", stmt)
                )
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                self.bind_target(target, None, table, stmt)
        if function is not None:
            self.note_function_facts(stmt, function)

    def pin(self, function: FunctionInfo | None) -> None:
        """Keep the body around `function` in every outline: something
        outside it is summarised from it."""
        while function is not None and function.parent is not None:
            function = function.parent
        if function is not None:
            self.module.pinned.add(id(function))

    def collect_try(
        self,
        stmt: ast.stmt,
        table: dict[str, list[Binding]],
        function: FunctionInfo | None,
        klass: ClassInfo | None,
    ) -> None:
        # `try` and `try*` (3.11) have the same fields; read them by name.
        handlers: list[ast.ExceptHandler] = getattr(stmt, "handlers", [])
        self.collect_body(getattr(stmt, "body", []), table, function, klass)
        for handler in handlers:
            if handler.name:
                _bind(table, handler.name, Binding("opaque", handler))
            self.collect_body(handler.body, table, function, klass)
        for part in ("orelse", "finalbody"):
            self.collect_body(getattr(stmt, part, []), table, function, klass)

    def bind_target(
        self,
        target: ast.expr,
        value: ast.expr | None,
        table: dict[str, list[Binding]],
        stmt: ast.stmt,
    ) -> None:
        if isinstance(target, ast.Name):
            kind = "assign" if value is not None else "opaque"
            _bind(table, target.id, Binding(kind, stmt, value=value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements = target.elts
            starred = any(isinstance(e, ast.Starred) for e in elements)
            for index, element in enumerate(elements):
                if value is None or starred or not isinstance(element, ast.Name):
                    self.bind_target(element, None, table, stmt)
                    continue
                position = (index, len(elements))
                binding = Binding("unpack", stmt, value=value, unpacked=position)
                _bind(table, element.id, binding)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, None, table, stmt)

    def note_self_assignment(
        self, target: ast.expr, value: ast.expr, function: FunctionInfo
    ) -> None:
        owner = function.owner
        if (
            owner is None
            or not isinstance(target, ast.Attribute)
            or not isinstance(target.value, ast.Name)
            or not function.parameters
            or target.value.id != function.parameters[0].arg
        ):
            return
        owner.self_assignments.setdefault(target.attr, []).append((value, function))

    def note_function_facts(self, stmt: ast.stmt, function: FunctionInfo) -> None:
        if isinstance(stmt, ast.Return):
            function._returns.append(stmt.value)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                self.note_self_assignment(target, stmt.value, function)

    def collect_function(
        self,
        node: FunctionNode,
        parent: FunctionInfo | None,
        klass: ClassInfo | None,
    ) -> FunctionInfo:
        info = FunctionInfo(
            node,
            self.module,
            owner=klass if parent is None else None,
            parent=parent,
            is_async=isinstance(node, ast.AsyncFunctionDef),
        )
        self.module.functions.append(info)
        self.module.function_of_node[id(node)] = info
        for param in info.parameters:
            _bind(info._bindings, param.arg, Binding("opaque", param))
        left_out = self.deferred.get(node.lineno) if self.deferred else None
        if left_out is not None and parent is None:
            info._generator = left_out.is_generator
            info.always_raises = left_out.always_raises
            info._pending = True
            node.body = LazyBody(node.body, lambda: self.read_body(info, left_out))
            return info
        self.collect_body(node.body, info._bindings, info, None)
        info.always_raises = _only_raises(node.body)
        return info

    def read_body(self, info: FunctionInfo, left_out: Deferred) -> list[ast.stmt]:
        """Parse a left-out body and summarise it into `info`."""
        source = self.module.lazy_source
        assert source is not None, "a left-out body read after disposal"
        body = parse_body(source, left_out, info.name)
        info.node.body = body
        info._pending = False
        self.collect_body(body, info._bindings, info, None)
        return body

    def collect_class(
        self, node: ast.ClassDef, function: FunctionInfo | None
    ) -> ClassInfo:
        cls = ClassInfo(node, self.module)
        self.module.classes.append(cls)
        self.collect_body(node.body, cls.class_bindings, None, cls)
        return cls

    def absolute_module(self, stmt: ast.ImportFrom) -> str:
        if not stmt.level:
            return stmt.module or ""
        parts = self.module.name.split(".")
        if not self.module.is_package:
            parts = parts[:-1]
        if stmt.level > 1:
            parts = parts[: len(parts) - (stmt.level - 1)]
        base = ".".join(parts)
        if stmt.module:
            return f"{base}.{stmt.module}" if base else stmt.module
        return base


def _is_try_star(stmt: ast.stmt) -> bool:
    return type(stmt).__name__ == "TryStar"


_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _scan_expressions(
    node: FunctionNode,
) -> tuple[bool, list[ast.Call], list[ast.Yield]]:
    """Whether the body yields, its direct calls and its plain yields,
    skipping nested scopes."""
    is_generator = False
    calls: list[ast.Call] = []
    yields: list[ast.Yield] = []
    stack: list[ast.AST] = [n for n in node.body if not isinstance(n, _SCOPE_NODES)]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.Yield, ast.YieldFrom)):
            is_generator = True
            if isinstance(current, ast.Yield):
                yields.append(current)
        elif isinstance(current, ast.Call):
            calls.append(current)
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, _SCOPE_NODES):
                stack.append(child)
    calls.sort(key=lambda call: (call.lineno, call.col_offset))
    return is_generator, calls, yields


def _only_raises(body: list[ast.stmt]) -> bool:
    """True when the body, past a docstring, is a single `raise`."""
    statements = [
        stmt
        for stmt in body
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
    ]
    return len(statements) == 1 and isinstance(statements[0], ast.Raise)
