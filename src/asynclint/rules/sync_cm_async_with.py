"""ASL204: a sync-only context manager entered with `async with`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.protocols import context_support
from asynclint.rules.base import Rule
from asynclint.types import Applicability, Fix, MakeWithSync, Violation


class SyncCmAsyncWith(Rule):
    """A sync-only context manager entered with `async with`.

    `async with threading.Lock():` or `async with open(path) as f:` fails
    with `TypeError: ... does not support the asynchronous context manager
    protocol`. A class with both protocols is not reported, nor one its
    module gives special methods from outside its statement
    (`Guard.__aenter__ = ...`).

    Fix (safe, when every item of the statement is sync-only): `async with`
    becomes `with`.
    """

    code = "ASL204"
    slug = "sync-cm-async-with"
    message = (
        "`{subject}` is a sync context manager; enter it with `with`, not `async with`"
    )
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        inference = context.inference
        for site in context.sites.withs:
            if not isinstance(site.node, ast.AsyncWith):
                continue
            value = context.value(site.item.context_expr, site.function)
            if context_support(inference, value) != "sync":
                continue
            fix = None
            if context.every_item_supports(site.node, site.function, "sync"):
                fix = Fix(
                    Applicability.SAFE,
                    "Use `with`",
                    MakeWithSync(context.range(site.node)),
                )
            subject = ast.unparse(site.item.context_expr)
            yield self.violation(
                context.path,
                context.range(site.item.context_expr),
                fix,
                subject=subject,
            )
