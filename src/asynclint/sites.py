"""The one traversal of a checked file: every place a rule may look at.

Each expression is visited once, told how its value is used (awaited,
dropped, tested for truth, assigned, passed on...). Rules then read the
sites and name uses; none of them walks the tree again.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from asynclint import bound_names
from asynclint.summary import FunctionInfo, ModuleSummary

# How an expression's value is used by what surrounds it.
DROPPED = "dropped"
TRUTH = "truth"
AWAITED = "awaited"
ASSIGNED = "assigned"
RETURNED = "returned"
ARGUMENT = "argument"
CONTAINED = "contained"
ATTRIBUTE = "attribute"
CALLEE = "callee"
VALUE = "value"
ITERATED = "iterated"
ASYNC_ITERATED = "async-iterated"
WITH_ITEM = "with"
ASYNC_WITH_ITEM = "async-with"
STORED = "stored"
YIELDED = "yielded"
CLOSURE = "closure"
DECORATOR = "decorator"

# Uses after which the value is somebody else's business.
TRANSFERS = frozenset(
    {AWAITED, RETURNED, ARGUMENT, CONTAINED, STORED, YIELDED, CLOSURE, DECORATOR}
)


@dataclass(eq=False, slots=True)
class Statement:
    """A simple statement and the block it stands in (for block rewrites)."""

    node: ast.stmt
    block: list[ast.stmt]
    index: int


@dataclass(eq=False, slots=True)
class Collection:
    """A list, set or tuple (literal or comprehension) or a generator
    expression, and how its own value is used."""

    node: ast.expr
    use: str
    parent_call: ast.Call | None = None


@dataclass(eq=False, slots=True)
class CallSite:
    node: ast.Call
    function: FunctionInfo | None
    use: str
    target: str | None
    statement: Statement | None
    parent_call: ast.Call | None = None
    # For an element of a collection (use CONTAINED), that collection.
    collection: Collection | None = None
    # Whether an `await` written here would run in `function` itself: not
    # in a class body, lambda or generator expression inside it.
    own_frame: bool = True


@dataclass(eq=False, slots=True)
class AwaitSite:
    node: ast.Await
    function: FunctionInfo | None
    use: str
    target: ast.expr | None
    statement: Statement | None
    # False inside a generator expression, which the `await` makes an
    # asynchronous one (valid code has no `await` in a class body or lambda).
    own_frame: bool = True


@dataclass(eq=False, slots=True)
class WithSite:
    item: ast.withitem
    node: ast.With | ast.AsyncWith
    function: FunctionInfo | None
    # Whether the statement stands in `function` itself, not in a class
    # body inside it (where `async with` is not allowed).
    own_frame: bool = True


@dataclass(eq=False, slots=True)
class IterSite:
    node: ast.expr
    function: FunctionInfo | None
    is_async: bool
    # Names bound around the iterable in scopes the summary does not hold
    # (comprehension targets, lambda parameters), which inference would
    # look up outside; None in a class body, whose names it misses too.
    hidden: frozenset[str] | None = frozenset()


@dataclass(eq=False, slots=True)
class NameUse:
    use: str
    node: ast.Name


@dataclass(eq=False, slots=True)
class Sites:
    """Everything the traversal found in one file."""

    calls: list[CallSite] = field(default_factory=list)
    awaits: list[AwaitSite] = field(default_factory=list)
    withs: list[WithSite] = field(default_factory=list)
    iterations: list[IterSite] = field(default_factory=list)
    uses: dict[tuple[int, str], list[NameUse]] = field(default_factory=dict)
    # By id of the function (of None for the module), the names it binds in
    # ways the summary does not record: `:=` targets and `match` captures.
    unrecorded: dict[int, set[str]] = field(default_factory=dict)
    # Ids of the `Name` nodes that read such a name, or a comprehension
    # target or lambda parameter: inference would look them up in the
    # wrong scope, so it takes them as unknown (Inference.shadowed).
    shadowed: set[int] = field(default_factory=set)

    def name_uses(self, function: FunctionInfo | None, name: str) -> list[NameUse]:
        return self.uses.get((id(function), name), [])


def collect_sites(module: ModuleSummary) -> Sites:
    """Walk the module once and return its sites."""
    walker = _Walker(module)
    walker.block(module.tree.body, None)
    sites = walker.sites
    for function, names in sites.unrecorded.items():
        for name in names:
            uses = sites.uses.get((function, name), ())
            sites.shadowed.update(id(use.node) for use in uses)
    return sites


class _Walker:
    def __init__(self, module: ModuleSummary) -> None:
        self.module = module
        self.sites = Sites()
        self.function: FunctionInfo | None = None
        self.lambda_depth = 0
        self.statement: Statement | None = None
        self.hidden: frozenset[str] | None = frozenset()
        # Class bodies, lambdas and generator expressions entered since the
        # innermost function: code there does not run in its frame.
        self.frames_in = 0

    # -- statements -------------------------------------------------------

    def block(self, body: list[ast.stmt], function: FunctionInfo | None) -> None:
        for index, stmt in enumerate(body):
            self.statement = Statement(stmt, body, index)
            self.stmt(stmt)
        self.statement = None

    def stmt(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function_def(node)
        elif isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                self.expr(decorator, DECORATOR)
            for base in [*node.bases, *(k.value for k in node.keywords)]:
                self.expr(base, VALUE)
            saved, saved_hidden = self.statement, self.hidden
            self.hidden = None
            self.frames_in += 1
            self.block(node.body, self.function)
            self.frames_in -= 1
            self.statement, self.hidden = saved, saved_hidden
        elif isinstance(node, ast.Expr):
            self.expr(node.value, DROPPED)
        elif isinstance(node, ast.Assign):
            first = node.targets[0]
            simple = len(node.targets) == 1 and isinstance(first, ast.Name)
            target = first.id if isinstance(first, ast.Name) and simple else None
            unpacked = all(isinstance(t, (ast.Tuple, ast.List)) for t in node.targets)
            use = ASSIGNED if simple else VALUE if unpacked else STORED
            self.expr(node.value, use, target)
            for t in node.targets:
                self.target(t)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                simple = isinstance(node.target, ast.Name)
                name = node.target.id if isinstance(node.target, ast.Name) else None
                self.expr(node.value, ASSIGNED if simple else STORED, name)
            self.target(node.target)
        elif isinstance(node, ast.AugAssign):
            self.expr(node.value, VALUE)
            self.target(node.target)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.expr(node.value, RETURNED)
        elif isinstance(node, (ast.If, ast.While)):
            self.expr(node.test, TRUTH)
            self.nested(node.body)
            self.nested(node.orelse)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            is_async = isinstance(node, ast.AsyncFor)
            site = IterSite(node.iter, self.function, is_async, self.hidden)
            self.sites.iterations.append(site)
            self.expr(node.iter, ASYNC_ITERATED if is_async else ITERATED)
            self.target(node.target)
            self.nested(node.body)
            self.nested(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            is_async = isinstance(node, ast.AsyncWith)
            for item in node.items:
                site = WithSite(item, node, self.function, not self.frames_in)
                self.sites.withs.append(site)
                self.expr(item.context_expr, ASYNC_WITH_ITEM if is_async else WITH_ITEM)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
            self.nested(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.nested(node.body)  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                if handler.type is not None:
                    self.expr(handler.type, VALUE)
                self.nested(handler.body)
            self.nested(node.orelse)  # type: ignore[attr-defined]
            self.nested(node.finalbody)  # type: ignore[attr-defined]
        elif isinstance(node, ast.Match):
            self.expr(node.subject, VALUE)
            for case in node.cases:
                self.note_unrecorded(bound_names.captures(case.pattern))
                if case.guard is not None:
                    self.expr(case.guard, TRUTH)
                self.nested(case.body)
        elif isinstance(node, ast.Assert):
            self.expr(node.test, TRUTH)
            if node.msg is not None:
                self.expr(node.msg, VALUE)
        elif isinstance(node, ast.Raise):
            for part in (node.exc, node.cause):
                if part is not None:
                    self.expr(part, ARGUMENT)
        elif isinstance(node, ast.Delete):
            for t in node.targets:
                self.target(t)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, VALUE)

    def nested(self, body: list[ast.stmt]) -> None:
        saved = self.statement
        self.block(body, self.function)
        self.statement = saved

    def function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.expr(decorator, DECORATOR)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.expr(default, ARGUMENT)
        info = self.module.function_of_node.get(id(node))
        saved_function, saved_statement = self.function, self.statement
        saved_hidden, self.hidden = self.hidden, frozenset()
        saved_frames, self.frames_in = self.frames_in, 0
        self.function = info
        self.block(node.body, info)
        self.function, self.statement = saved_function, saved_statement
        self.hidden, self.frames_in = saved_hidden, saved_frames

    def target(self, node: ast.expr) -> None:
        if isinstance(node, ast.Attribute):
            self.expr(node.value, ATTRIBUTE)
        elif isinstance(node, ast.Subscript):
            self.expr(node.value, VALUE)
            self.expr(node.slice, VALUE)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)

    # -- expressions ------------------------------------------------------

    def expr(self, node: ast.expr, use: str, target: str | None = None) -> None:
        if type(node) is ast.Constant:
            return  # the commonest leaf, and nothing to record
        if self.lambda_depth and use not in (AWAITED,):
            use = CLOSURE if isinstance(node, ast.Name) else use
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self.name_use(node, use)
        elif isinstance(node, ast.Call):
            self.call(node, use, target)
        elif isinstance(node, ast.Await):
            statement = self.statement if use in (DROPPED, ASSIGNED, STORED) else None
            assign_target = None
            stmt = statement.node if statement is not None else None
            if (
                isinstance(stmt, ast.Assign)
                and stmt.value is node
                and len(stmt.targets) == 1
            ):
                assign_target = stmt.targets[0]
            site = AwaitSite(
                node, self.function, use, assign_target, statement, not self.frames_in
            )
            self.sites.awaits.append(site)
            self.expr(node.value, AWAITED, target)
        elif isinstance(node, ast.Attribute):
            self.expr(node.value, ATTRIBUTE)
        elif isinstance(node, ast.BoolOp):
            for value in node.values[:-1]:
                self.expr(value, TRUTH)
            self.expr(node.values[-1], use)
        elif isinstance(node, ast.UnaryOp):
            self.expr(node.operand, TRUTH if isinstance(node.op, ast.Not) else VALUE)
        elif isinstance(node, ast.IfExp):
            self.expr(node.test, TRUTH)
            self.expr(node.body, use, target)
            self.expr(node.orelse, use, target)
        elif isinstance(node, ast.NamedExpr):
            self.note_unrecorded({node.target.id})
            self.expr(node.value, ASSIGNED, node.target.id)
        elif isinstance(node, ast.Starred):
            self.expr(node.value, use if use == ARGUMENT else CONTAINED)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            before = len(self.sites.calls)
            for element in node.elts:
                self.expr(element, CONTAINED)
            self.collected(node, use, before, node.elts)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    self.expr(key, CONTAINED)
            for value in node.values:
                self.expr(value, CONTAINED)
        elif isinstance(
            node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
        ):
            self.comprehension(node, use)
        elif isinstance(node, ast.Lambda):
            saved_hidden = self.hidden
            self.hide(bound_names.parameters(node.args))
            self.lambda_depth += 1
            self.frames_in += 1
            self.expr(node.body, RETURNED)
            self.frames_in -= 1
            self.lambda_depth -= 1
            self.hidden = saved_hidden
        elif isinstance(node, (ast.Yield, ast.YieldFrom)):
            if node.value is not None:
                self.expr(node.value, YIELDED)
        elif isinstance(node, ast.Subscript):
            self.expr(node.value, VALUE)
            self.expr(node.slice, VALUE)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, VALUE)

    def comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        use: str,
    ) -> None:
        saved_hidden = self.hidden
        # A generator expression runs lazily, in a frame of its own, past
        # its first iterable (evaluated where the expression stands).
        lazy = isinstance(node, ast.GeneratorExp)
        for index, generator in enumerate(node.generators):
            kind = ASYNC_ITERATED if generator.is_async else ITERATED
            self.sites.iterations.append(
                IterSite(
                    generator.iter,
                    self.function,
                    bool(generator.is_async),
                    self.hidden,
                )
            )
            self.expr(generator.iter, kind)
            if lazy and index == 0:
                self.frames_in += 1
            self.target(generator.target)
            self.hide(bound_names.target(generator.target))
            for condition in generator.ifs:
                self.expr(condition, TRUTH)
        if isinstance(node, ast.DictComp):
            self.expr(node.key, CONTAINED)
            self.expr(node.value, CONTAINED)
        else:
            before = len(self.sites.calls)
            self.expr(node.elt, CONTAINED)
            self.collected(node, use, before, [node.elt])
        if lazy:
            self.frames_in -= 1
        self.hidden = saved_hidden

    def note_unrecorded(self, names: set[str]) -> None:
        """Note names the current function binds where the summary does
        not look."""
        if names:
            found = self.sites.unrecorded.setdefault(id(self.function), set())
            found.update(names)

    def hide(self, names: frozenset[str]) -> None:
        """Count `names` as bound in a scope the summary does not hold."""
        if self.hidden is not None:
            self.hidden |= names

    def collected(
        self, node: ast.expr, use: str, before: int, elements: list[ast.expr]
    ) -> None:
        """Tie the calls that are `elements` of `node`, among the sites
        recorded since `before`, to the collection and its use."""
        calls = {id(e) for e in elements if isinstance(e, ast.Call)}
        if not calls:
            return
        collection = Collection(node, use)
        for site in self.sites.calls[before:]:
            if id(site.node) in calls and site.use == CONTAINED:
                site.collection = collection

    def call(self, node: ast.Call, use: str, target: str | None) -> None:
        keeps_statement = use in (DROPPED, ASSIGNED, RETURNED, STORED)
        statement = self.statement if keeps_statement else None
        site = CallSite(
            node,
            self.function if not self.lambda_depth else None,
            use,
            target if use == ASSIGNED else None,
            statement,
            own_frame=not self.frames_in,
        )
        self.sites.calls.append(site)
        self.expr(node.func, CALLEE)
        truth = isinstance(node.func, ast.Name) and node.func.id == "bool"
        for arg in node.args:
            self.argument(arg, node, TRUTH if truth else ARGUMENT)
        for keyword in node.keywords:
            self.argument(keyword.value, node, ARGUMENT)

    def argument(self, node: ast.expr, call: ast.Call, use: str) -> None:
        before = len(self.sites.calls)
        self.expr(node, use)
        # `gather(*[fetch(u) for u in urls])` passes the elements themselves.
        passed = node.value if isinstance(node, ast.Starred) else node
        for site in self.sites.calls[before:]:
            if site.node is node or (
                isinstance(node, ast.BoolOp) and site.node in node.values
            ):
                site.parent_call = call
            elif site.collection is not None and site.collection.node is passed:
                site.collection.parent_call = call

    def name_use(self, node: ast.Name, use: str) -> None:
        if self.hidden and node.id in self.hidden:
            self.sites.shadowed.add(id(node))
        owner = self.function
        if owner is not None and node.id not in owner.bindings:
            current = owner.parent
            while current is not None and node.id not in current.bindings:
                current = current.parent
            if current is not None:
                owner, use = current, CLOSURE
        key = (id(owner), node.id)
        self.sites.uses.setdefault(key, []).append(NameUse(use, node))
