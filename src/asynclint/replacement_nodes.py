"""Builders of the LibCST nodes that replace the code a fix names.

The transformer in `fixer` finds where each replacement goes. The rewrites
larger than one changed field (a call offloaded to a thread or made an
awaited coroutine call, the rest of a block wrapped in `async with`,
`await w.close()` split within one line) are
built here from the nodes it hands over; they read no metadata, so what each
builds depends on its arguments alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst


def inline_pair(
    body: Sequence[cst.BaseSmallStatement],
    index: int,
    closing: cst.Expr,
    waiting: cst.Expr,
) -> list[cst.BaseSmallStatement]:
    """`a; await w.close(); b` -> `a; w.close(); await w.wait_closed(); b`."""
    separator = cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))
    pair = [
        closing.with_changes(semicolon=separator),
        waiting.with_changes(semicolon=body[index].semicolon),
    ]
    return [*body[:index], *pair, *body[index + 1 :]]


def wrap_in_async_with(
    line: cst.BaseStatement, rest: Sequence[cst.BaseStatement]
) -> cst.With | None:
    """`x = [await] f()` + rest  ->  `async with f() as x:` + indented rest."""
    if not isinstance(line, cst.SimpleStatementLine) or not rest:
        return None
    assign = line.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if not isinstance(target, cst.Name):
        return None
    value = assign.value
    if isinstance(value, cst.Await):
        value = value.expression
    item = cst.WithItem(item=value, asname=cst.AsName(name=target))
    return cst.With(
        items=[item],
        asynchronous=cst.Asynchronous(),
        body=cst.IndentedBlock(body=list(rest), header=line.trailing_whitespace),
        leading_lines=line.leading_lines,
    )


def to_thread(call: cst.Call, function: str) -> cst.BaseExpression:
    """`f(a, b)` -> `await asyncio.to_thread(f, a, b)` (`function` names
    `asyncio.to_thread` as the module spells it), or through a lambda when
    the callee expression itself contains a call."""
    to_thread = cst.parse_expression(function)
    bare = call.with_changes(lpar=[], rpar=[])
    if _contains_call(call.func):
        lam = cst.Lambda(params=cst.Parameters(), body=bare)
        offloaded = cst.Call(func=to_thread, args=[cst.Arg(lam)])
    else:
        # The arguments keep their own commas and comments; only the
        # callee, now the first argument, needs a comma of its own.
        first = cst.Arg(call.func)
        if call.args:
            comma = cst.Comma(
                whitespace_after=_same_layout(call.whitespace_before_args)
            )
            first = first.with_changes(comma=comma)
        args = [first, *(_parenthesized_generator(a) for a in call.args)]
        offloaded = cst.Call(
            func=to_thread,
            args=args,
            whitespace_before_args=call.whitespace_before_args,
        )
    return cst.Await(offloaded, lpar=list(call.lpar), rpar=list(call.rpar))


def awaited_instead(call: cst.Call, function: str) -> cst.BaseExpression:
    """`time.sleep(x)` -> `await asyncio.sleep(x)` (`function` names the
    coroutine function as the module spells it)."""
    bare = call.with_changes(func=cst.parse_expression(function), lpar=[], rpar=[])
    return cst.Await(bare, lpar=list(call.lpar), rpar=list(call.rpar))


def _same_layout(
    before_args: cst.BaseParenthesizableWhitespace,
) -> cst.BaseParenthesizableWhitespace:
    """Whitespace that puts the next argument where the first one stood:
    on a line of its own when the call spread its arguments over lines."""
    if isinstance(before_args, cst.ParenthesizedWhitespace):
        return cst.ParenthesizedWhitespace(indent=True, last_line=before_args.last_line)
    return cst.SimpleWhitespace(" ")


def _parenthesized_generator(arg: cst.Arg) -> cst.Arg:
    """A generator expression may go bare only as a call's sole argument."""
    value = arg.value
    if isinstance(value, cst.GeneratorExp) and not value.lpar:
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return arg.with_changes(value=value)
    return arg


def _contains_call(node: cst.CSTNode) -> bool:
    """Whether the callee expression calls something (other than `super()`,
    which cannot move into a lambda: it needs the method's frame)."""
    if isinstance(node, cst.Call):
        is_super = isinstance(node.func, cst.Name) and node.func.value == "super"
        if not (is_super and not node.args):
            return True
    return any(_contains_call(child) for child in node.children)
