"""Applies the replacements of accepted fixes to one file, with LibCST.

Every replacement names its node by source range; one transformer visits
the tree once, entering only the statements that hold some replacement's
range, and rewrites each named node. A replacement that matches no node, or that
overlaps one already applied, is returned as not applied.
The larger replacement nodes are built in `replacement_nodes`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from asynclint.replacement_nodes import (
    awaited_instead,
    inline_pair,
    to_thread,
    wrap_in_async_with,
)
from asynclint.types import (
    AddAwait,
    AwaitCoroutineInstead,
    CloseThenWaitClosed,
    CodePosition,
    CodeRange,
    Fix,
    MakeFunctionAsync,
    MakeWithAsync,
    MakeWithSync,
    OffloadToThread,
    RemoveAwait,
    RenameAttribute,
    WrapInAsyncWith,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FixOutcome:
    """The rewritten text and which fixes made it in."""

    text: str
    applied: tuple[Fix, ...]
    skipped: tuple[Fix, ...]


def apply_fixes(source: str, fixes: Sequence[Fix]) -> FixOutcome:
    """Apply the non-overlapping subset of `fixes` to `source`."""
    chosen, skipped = _without_overlaps(fixes)
    if not chosen:
        return FixOutcome(source, (), tuple(skipped))
    wrapper = _wrapped(source)
    if wrapper is None:
        return FixOutcome(source, (), tuple(fixes))
    return _rewrite(wrapper, chosen, skipped)


def each_alone(
    source: str, fixes: Sequence[Fix]
) -> tuple[cst.Module, dict[Fix, cst.Module | None]] | None:
    """The parsed `source` and the module each of `fixes` makes of it
    applied alone (None where it does not apply), parsing once; None when
    LibCST cannot parse `source`.

    Top-level statements a rewrite leaves alone are the very nodes of the
    parsed module, so a caller can tell what changed by identity.
    """
    wrapper = _wrapped(source)
    if wrapper is None:
        return None
    modules: dict[Fix, cst.Module | None] = {}
    for fix in fixes:
        chosen, _ = _without_overlaps([fix])
        modules[fix] = None
        if chosen:
            module, applied = _rewritten(wrapper, chosen)
            modules[fix] = module if applied else None
    return wrapper.module, modules


def _wrapped(source: str) -> MetadataWrapper | None:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        logger.debug("LibCST cannot parse the file: %s", error)
        return None
    # The tree is never changed in place (a rewrite builds new nodes), so
    # one wrapper, and its metadata, serves every rewrite of the source.
    return MetadataWrapper(module, unsafe_skip_copy=True)


def _rewrite(
    wrapper: MetadataWrapper, chosen: Sequence[Fix], skipped: list[Fix]
) -> FixOutcome:
    new_module, applied = _rewritten(wrapper, chosen)
    skipped = [*skipped, *(f for f in chosen if f not in applied)]
    return FixOutcome(new_module.code, applied, tuple(skipped))


def _rewritten(
    wrapper: MetadataWrapper, chosen: Sequence[Fix]
) -> tuple[cst.Module, tuple[Fix, ...]]:
    """The module with `chosen` applied (and their imports), and which
    of them applied."""
    transformer = _Rewriter(chosen)
    new_module = wrapper.visit(transformer)
    imports = {
        f.needs_import for f in chosen if f.needs_import and f in transformer.done
    }
    for name in sorted(imports):
        new_module = _ensure_import(new_module, name)
    return new_module, tuple(f for f in chosen if f in transformer.done)


def _target(fix: Fix) -> CodeRange | None:
    replacement = fix.replacement
    return getattr(replacement, "target", None)


def _without_overlaps(fixes: Sequence[Fix]) -> tuple[list[Fix], list[Fix]]:
    """Keep fixes whose ranges do not overlap an earlier kept one."""
    kept: list[Fix] = []
    skipped: list[Fix] = []
    taken: list[CodeRange] = []
    for fix in sorted(fixes, key=lambda f: _target(f) or _NOWHERE):
        where = _target(fix)
        if where is None:
            skipped.append(fix)
            continue
        if any(where.start < other.end and other.start < where.end for other in taken):
            skipped.append(fix)
            continue
        if fix in kept:
            continue
        kept.append(fix)
        taken.append(where)
    return kept, skipped


_NOWHERE = CodeRange(CodePosition(0, 0), CodePosition(0, 0))


def _as_range(position: object) -> CodeRange:
    start = position.start  # type: ignore[attr-defined]
    end = position.end  # type: ignore[attr-defined]
    return CodeRange(
        CodePosition(start.line, start.column), CodePosition(end.line, end.column)
    )


class _Rewriter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, fixes: Sequence[Fix]) -> None:
        super().__init__()
        self.by_range: dict[tuple[type, CodeRange], Fix] = {}
        for fix in fixes:
            where = _target(fix)
            assert where is not None
            self.by_range[(type(fix.replacement), where)] = fix
        self.targets = [where for _, where in self.by_range]
        self.done: set[Fix] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        # A statement that holds no fix's target is left as it is, unvisited:
        # a file with one fix is not walked whole for each rewrite.
        statement = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
        if isinstance(node, statement) and not self._holds_target(node):
            return False
        return super().on_visit(node)

    def _holds_target(self, node: cst.CSTNode) -> bool:
        """Whether `node`, with its decorators, spans some fix's target."""
        try:
            where = _as_range(self.get_metadata(PositionProvider, node))
            decorators = getattr(node, "decorators", ())
            first = decorators[0] if decorators else node
            start = _as_range(self.get_metadata(PositionProvider, first)).start
        except KeyError:
            return True
        return any(
            start <= target.start and target.end <= where.end for target in self.targets
        )

    def _fix_for(self, node: cst.CSTNode, kind: type) -> Fix | None:
        if not self.by_range:
            return None
        try:
            where = _as_range(self.get_metadata(PositionProvider, node))
        except KeyError:
            return None
        return self.by_range.get((kind, where))

    # -- expressions ------------------------------------------------------

    def leave_Await(
        self, original: cst.Await, updated: cst.Await
    ) -> cst.BaseExpression:
        fix = self._fix_for(original, RemoveAwait)
        if fix is None:
            return updated
        self.done.add(fix)
        inner = updated.expression
        if updated.lpar:
            inner = inner.with_changes(
                lpar=[*updated.lpar, *inner.lpar], rpar=[*inner.rpar, *updated.rpar]
            )
        return inner

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        fix = self._fix_for(original, AddAwait)
        if fix is not None and self._async_scope(original):
            self.done.add(fix)
            return self._awaited(original, updated)
        fix = self._fix_for(original, OffloadToThread)
        if fix is not None and self._async_scope(original):
            self.done.add(fix)
            assert isinstance(fix.replacement, OffloadToThread)
            return to_thread(updated, fix.replacement.function)
        fix = self._fix_for(original, AwaitCoroutineInstead)
        if fix is not None and self._async_scope(original):
            self.done.add(fix)
            assert isinstance(fix.replacement, AwaitCoroutineInstead)
            return awaited_instead(updated, fix.replacement.function)
        return updated

    def _async_scope(self, node: cst.CSTNode) -> bool:
        """Whether an `await` or `async with` at `node` runs in an `async def`.

        An `await` in a generator expression (past its first iterable) makes
        it an async generator, and one in a class body or lambda is a syntax
        error, even when an `async def` encloses them.
        """
        path = [node]
        parent = self.get_metadata(ParentNodeProvider, node, None)
        while parent is not None:
            child = path[-1]
            if isinstance(parent, cst.FunctionDef) and child is parent.body:
                return parent.asynchronous is not None
            if isinstance(parent, cst.ClassDef) and child is parent.body:
                return False
            if isinstance(parent, cst.Lambda) and child is parent.body:
                return False
            if isinstance(parent, cst.GeneratorExp) and not (
                len(path) > 1 and child is parent.for_in and path[-2] is child.iter
            ):
                return False
            path.append(parent)
            parent = self.get_metadata(ParentNodeProvider, parent, None)
        return False

    def _awaited(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        parent = self.get_metadata(ParentNodeProvider, original, None)
        needs_parens = (
            (isinstance(parent, cst.Attribute) and parent.value is original)
            or (isinstance(parent, cst.Subscript) and parent.value is original)
            or (isinstance(parent, cst.Call) and parent.func is original)
        )
        inner = updated.with_changes(lpar=[], rpar=[])
        awaited = cst.Await(
            expression=inner, lpar=list(updated.lpar), rpar=list(updated.rpar)
        )
        if needs_parens and not updated.lpar:
            awaited = awaited.with_changes(
                lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
            )
        return awaited

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        fix = self._fix_for(original, RenameAttribute)
        if fix is None:
            fix = self._fix_for(original.attr, RenameAttribute)
        if fix is None:
            return updated
        self.done.add(fix)
        assert isinstance(fix.replacement, RenameAttribute)
        return updated.with_changes(attr=cst.Name(fix.replacement.new_name))

    # -- statements -------------------------------------------------------

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        fix = self._fix_for(original.name, MakeFunctionAsync)
        if fix is None or updated.asynchronous is not None:
            return updated
        self.done.add(fix)
        return updated.with_changes(asynchronous=cst.Asynchronous())

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.With:
        fix = self._fix_for(original, MakeWithAsync)
        if (
            fix is not None
            and updated.asynchronous is None
            and self._async_scope(original)
        ):
            self.done.add(fix)
            return updated.with_changes(asynchronous=cst.Asynchronous())
        fix = self._fix_for(original, MakeWithSync)
        if fix is not None and updated.asynchronous is not None:
            self.done.add(fix)
            return updated.with_changes(asynchronous=None)
        return updated

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        found = self._close_then_wait(original.body, updated.body)
        if found is None:
            return updated
        index, closing, waiting = found
        if len(updated.body) == 1:
            return cst.FlattenSentinel(
                [
                    updated.with_changes(body=[closing]),
                    cst.SimpleStatementLine(body=[waiting]),
                ]
            )
        return updated.with_changes(
            body=inline_pair(updated.body, index, closing, waiting)
        )

    def leave_SimpleStatementSuite(
        self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        found = self._close_then_wait(original.body, updated.body)
        if found is None:
            return updated
        index, closing, waiting = found
        return updated.with_changes(
            body=inline_pair(updated.body, index, closing, waiting)
        )

    def _close_then_wait(
        self,
        original: Sequence[cst.BaseSmallStatement],
        updated: Sequence[cst.BaseSmallStatement],
    ) -> tuple[int, cst.Expr, cst.Expr] | None:
        """`await w.close()` as `w.close()` and `await w.wait_closed()`."""
        for index, small in enumerate(original):
            fix = self._fix_for(small, CloseThenWaitClosed)
            if fix is not None:
                break
        else:
            return None
        statement = updated[index]
        if not (
            isinstance(statement, cst.Expr)
            and isinstance(statement.value, cst.Await)
            and isinstance(statement.value.expression, cst.Call)
            and isinstance(statement.value.expression.func, cst.Attribute)
        ):
            return None
        self.done.add(fix)
        call = statement.value.expression.with_changes(lpar=[], rpar=[])
        receiver = call.func.value  # type: ignore[attr-defined]
        wait_closed = cst.Attribute(value=receiver, attr=cst.Name("wait_closed"))
        waiting = cst.Expr(cst.Await(cst.Call(func=wait_closed)))
        return index, statement.with_changes(value=call), waiting

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        for index, line in enumerate(original.body):
            if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                continue
            fix = self._fix_for(line.body[0], WrapInAsyncWith)
            if fix is None or not self._async_scope(line):
                continue
            wrapped = wrap_in_async_with(updated.body[index], updated.body[index + 1 :])
            if wrapped is None:
                continue
            self.done.add(fix)
            return updated.with_changes(body=[*updated.body[:index], wrapped])
        return updated


def _ensure_import(module: cst.Module, name: str) -> cst.Module:
    """Add `import name` once, after the docstring and `__future__` imports."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    isinstance(a.name, cst.Name)
                    and a.name.value == name
                    and a.asname is None
                    for a in small.names
                ):
                    return module
    position = 0
    for index, statement in enumerate(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        first = statement.body[0]
        is_docstring = (
            index == 0
            and isinstance(first, cst.Expr)
            and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString))
        )
        is_future = (
            isinstance(first, cst.ImportFrom)
            and isinstance(first.module, cst.Name)
            and first.module.value == "__future__"
        )
        if is_docstring or is_future:
            position = index + 1
            continue
        break
    line = cst.SimpleStatementLine(
        body=[cst.Import(names=[cst.ImportAlias(cst.Name(name))])]
    )
    # Below a docstring or `__future__` import, a new import block starts
    # after one blank line, as isort and ruff leave it.
    above = [cst.EmptyLine()] if position else []
    if position == len(module.body):
        return module.with_changes(
            body=[*module.body, line.with_changes(leading_lines=above)]
        )
    following = module.body[position]
    if _is_import(following):
        # The import joins the block that stands there, taking its place.
        line = line.with_changes(leading_lines=following.leading_lines)
        following = following.with_changes(leading_lines=[])
    else:
        line = line.with_changes(leading_lines=above)
        following = following.with_changes(leading_lines=_after_imports(following))
    body = [*module.body[:position], line, following, *module.body[position + 1 :]]
    return module.with_changes(body=body)


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], (cst.Import, cst.ImportFrom)
    )


def _after_imports(
    statement: cst.SimpleStatementLine | cst.BaseCompoundStatement,
) -> list[cst.EmptyLine]:
    """The lines above code that now follows an import block: at least the
    blank lines isort and ruff leave there (two before a def or class, one
    before other code), more if the code had more, then its own comments."""
    lines = list(statement.leading_lines)
    blank = 0
    while blank < len(lines) and lines[blank].comment is None:
        blank += 1
    wanted = 2 if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) else 1
    return [cst.EmptyLine()] * max(blank, wanted) + lines[blank:]
