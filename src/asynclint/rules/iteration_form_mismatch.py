"""ASL104: an object iterated with the form of iteration it does not support."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.infer import Inference
from asynclint.protocols import any_patched, describe
from asynclint.rules.base import Rule
from asynclint.sites import IterSite
from asynclint.summary import ClassInfo
from asynclint.types import Violation
from asynclint.values import (
    AsyncGenerator,
    Instance,
    LibraryClass,
    Plain,
    Value,
    qualname_of_value,
)

# Inference's `Plain` for the object a generator function returns. A
# generator expression is `Plain("generator")`, async or not: not judged.
_SYNC_GENERATOR = Plain("a generator")
# Builtin containers, which only `for` iterates.
_SYNC_CONTAINERS = frozenset(
    {"list", "tuple", "dict", "set", "frozenset", "str", "bytes"}
)
# Bases that inference passes over as adding nothing, yet make instances
# iterable with `for` (a named tuple is a tuple, a StrEnum member a str).
_ITERABLE_NEUTRAL_BASES = frozenset(
    {"typing.NamedTuple", "typing_extensions.NamedTuple", "enum.StrEnum"}
)
# A long iterable is named by its callee in the message.
_LONGEST_SUBJECT = 40
# For `is_async`: the form used, and the form the iterable needs.
_FORMS = {False: ("for", "async for"), True: ("async for", "for")}


class IterationFormMismatch(Rule):
    """`for` over an async-only iterable, or `async for` over a sync-only one.

    `for row in rows():` where `rows` is an async generator function fails
    with `TypeError: 'async_generator' object is not iterable`, in a
    comprehension as in a statement. `async for line in lines():` over a
    generator, or over a list, tuple, dict, set or string, fails with
    `TypeError: 'async for' requires an object with __aiter__ method`. An
    instance of a project class is judged by the special methods its class
    and bases define: `__aiter__` for `async for`, `__iter__` or
    `__getitem__` for `for`. The message names the form used and the one
    the object needs. An async context manager iterated with `async for`
    is ASL202's.

    Callees are resolved to their real definitions, and what is not known
    is not reported: a library object (the model records the protocols a
    class has, not those it lacks, so `async for line in open(path)` is
    missed), a class with a library base or a metaclass, a class its
    module gives special methods from outside its statement
    (`Feed.__aiter__ = ...`, `setattr(Feed, ...)`), `self` (a subclass may
    add the other protocol), a generator expression (async or not by what
    it iterates), an iterable in a class body, and one that reads a name
    bound by a comprehension, a lambda, `:=` or `match`.

    No fix, so the rule only reports: `async for` works only inside `async
    def`, and what should replace `async for` over a sync iterable depends
    on what the code meant.
    """

    code = "ASL104"
    slug = "iteration-form-mismatch"
    message = "`{used}` cannot iterate `{subject}`, {what}: it needs `{needed}`"

    def check(self, context: FileContext) -> Iterator[Violation]:
        for site in context.sites.iterations:
            if site.hidden is None or _reads_unseen(context, site):
                continue
            value = context.value(site.node, site.function)
            support = _support(context, site, value)
            if support is None or support == ("async" if site.is_async else "sync"):
                continue
            used, needed = _FORMS[site.is_async]
            yield self.violation(
                context.path,
                context.range(site.node),
                used=used,
                subject=_subject(context, site.node),
                what=describe(value),
                needed=needed,
            )


def _support(context: FileContext, site: IterSite, value: Value) -> str | None:
    """ "sync" or "async" when `value` supports only that form of iteration;
    None when it supports both or neither, or that is not known."""
    if isinstance(value, AsyncGenerator):
        return "async"
    if value == _SYNC_GENERATOR:
        return "sync"
    if isinstance(value, Plain):
        return "sync" if value.what in _SYNC_CONTAINERS else None
    if isinstance(value, Instance) and not _is_self(context, site):
        return _class_support(context.inference, value.klass)
    return None


def _class_support(inference: Inference, klass: ClassInfo) -> str | None:
    """Which form of iteration instances of a project class support, from
    the special methods of the class and its bases."""
    linear = inference.mro(klass)
    if linear is None or any_patched(inference, linear):
        return None
    has_async = has_sync = False
    for entry in linear:
        if isinstance(entry, LibraryClass) or entry.node.keywords:
            return None  # protocols a library base or a metaclass may add
        names = entry.methods.keys() | entry.class_bindings.keys()
        has_async = has_async or "__aiter__" in names
        has_sync = has_sync or bool(names & {"__iter__", "__getitem__"})
        has_sync = has_sync or any(
            _qualname(inference, base, entry) in _ITERABLE_NEUTRAL_BASES
            for base in entry.node.bases
        )
    if has_async != has_sync:
        return "async" if has_async else "sync"
    return None


def _qualname(inference: Inference, expr: ast.expr, klass: ClassInfo) -> str | None:
    """What a name in a class statement's header refers to."""
    return qualname_of_value(inference.value(expr, klass.module))


def _is_self(context: FileContext, site: IterSite) -> bool:
    """Whether the iterable is the first parameter of a method (`self`),
    which may be an instance of a subclass."""
    scope = context.scope(site.function)
    return context.inference.is_first_parameter(site.node, scope)


def _reads_unseen(context: FileContext, site: IterSite) -> bool:
    """Whether the iterable reads a name bound where inference does not
    look: by a comprehension or lambda around it, or by `:=` or `match`
    in its function or one enclosing it."""
    names = set(site.hidden or ())
    unrecorded = context.sites.unrecorded
    function = site.function
    while function is not None:
        names |= unrecorded.get(id(function), set())
        function = function.parent
    names |= unrecorded.get(id(None), set())
    return bool(names) and any(
        isinstance(child, ast.Name) and child.id in names
        for child in ast.walk(site.node)
    )


def _subject(context: FileContext, node: ast.expr) -> str:
    """The iterable as the message shows it: as written, when that is one
    short line, else by its callee."""
    text = ast.get_source_segment(context.source, node) or ast.unparse(node)
    if "\n" in text or len(text) > _LONGEST_SUBJECT:
        if isinstance(node, ast.Call):
            return f"{ast.unparse(node.func)}(...)"
        return ast.unparse(node)
    return text
