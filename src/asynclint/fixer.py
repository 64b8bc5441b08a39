"""Applies the replacements of accepted fixes to one file, with LibCST.

Every replacement names its node by source range; one transformer visits
the tree once and rewrites each named node. A replacement that matches no
node, or that overlaps one already applied, is returned as not applied.
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
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        logger.debug("LibCST cannot parse the file: %s", error)
        return FixOutcome(source, (), tuple(fixes))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    transformer = _Rewriter(chosen)
    new_module = wrapper.visit(transformer)
    imports = {
        f.needs_import for f in chosen if f.needs_import and f in transformer.done
    }
    for name in sorted(imports):
        new_module = _ensure_import(new_module, name)
    applied = tuple(f for f in chosen if f in transformer.done)
    skipped.extend(f for f in chosen if f not in transformer.done)
    return FixOutcome(new_module.code, applied, tuple(skipped))


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
        self.done: set[Fix] = set()

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
    if position < len(module.body):
        following = module.body[position]
        line = line.with_changes(leading_lines=following.leading_lines)
        body = [
            *module.body[:position],
            line,
            following.with_changes(leading_lines=_gap_before(following)),
            *module.body[position + 1 :],
        ]
    else:
        body = [*module.body, line]
    return module.with_changes(body=body)


def _gap_before(statement: cst.BaseStatement) -> list[cst.EmptyLine]:
    """Two blank lines between an added import and a top-level def or class."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return [cst.EmptyLine(), cst.EmptyLine()]
    return []
