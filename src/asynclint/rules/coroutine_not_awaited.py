"""ASL102: a coroutine that is created and never awaited."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.sites import (
    ARGUMENT,
    ASSIGNED,
    ASYNC_ITERATED,
    ASYNC_WITH_ITEM,
    ATTRIBUTE,
    AWAITED,
    CALLEE,
    CONTAINED,
    DROPPED,
    ITERATED,
    TRANSFERS,
    TRUTH,
    VALUE,
    WITH_ITEM,
    CallSite,
)
from asynclint.summary import FunctionInfo
from asynclint.types import AddAwait, Applicability, Fix, Violation
from asynclint.values import Coroutine, LibraryFunction, qualname_of_value

_HOW = {
    DROPPED: "its result is dropped, so it never runs",
    TRUTH: "it is tested for truth, which is always true",
    ATTRIBUTE: "an attribute of the coroutine object is used",
    VALUE: "the coroutine object is used as a plain value",
    ITERATED: "the coroutine object is iterated",
    ASYNC_ITERATED: "the coroutine object is iterated",
    WITH_ITEM: "the coroutine object is entered as a context manager",
    ASYNC_WITH_ITEM: "the coroutine object is entered as a context manager",
}
_JUDGED = frozenset(_HOW) | {ASSIGNED}
# What a coroutine object has: `coro().__await__()` (the body of an
# `__await__` method), `send`, `throw` and `close` drive or discard it.
_COROUTINE_ATTRIBUTES = frozenset(
    {"__await__", "send", "throw", "close", "cr_await", "cr_code", "cr_frame"}
    | {"cr_running", "cr_origin", "cr_suspended", "__name__", "__qualname__"}
)


# A library object wrapping the coroutine of the call that made it (aiohttp's
# `session.post(...)`, `wraps_coroutine` in the model) is judged only where
# no use of it can be right: dropped, tested for truth, or assigned and
# never awaited, entered or handed on.
_WRAPPER_JUDGED = frozenset({DROPPED, TRUTH, ASSIGNED})
# Such a wrapper is also entered by hand (`__aenter__`) or driven with the
# legacy `yield from` protocol (`__iter__`).
_WRAPPER_ATTRIBUTES = _COROUTINE_ATTRIBUTES | {"__aenter__", "__aexit__", "__iter__"}


# Uses of a name holding a coroutine that hand it to somebody else.
_HANDED_ON = TRANSFERS | {ASSIGNED, CALLEE, ASYNC_WITH_ITEM}


# Builtins that test each element of their one argument for truth.
_TRUTH_OF_EACH = frozenset({"builtins.any", "builtins.all"})
_COLLECTION_KINDS: dict[type[ast.expr], str] = {
    ast.List: "list",
    ast.ListComp: "list",
    ast.Set: "set",
    ast.SetComp: "set",
    ast.Tuple: "tuple",
    ast.GeneratorExp: "generator expression",
}


def _coroutine_made(
    context: FileContext, site: CallSite, use: str
) -> tuple[str, bool] | None:
    """Who made the coroutine that `site` returns, and whether it is a
    library wrapper (judged only in `_WRAPPER_JUDGED` uses, `use` being
    what its coroutine meets); None if the call returns no coroutine."""
    value = context.value(site.node, site.function)
    if isinstance(value, Coroutine):
        return value.origin, False
    if use not in _WRAPPER_JUDGED:
        return None
    callee = context.value(site.node.func, site.function)
    if not isinstance(callee, LibraryFunction):
        return None
    made = context.inference.library.class_(callee.spec.returns or "")
    if made is None or not made.wraps_coroutine:
        return None
    return callee.spec.qualname, True


def _element_use(context: FileContext, site: CallSite) -> tuple[str, str] | None:
    """For a call that is an element of a collection, the use its
    coroutine meets there and how to say it: the collection is dropped, or
    `any()`/`all()` tests each element for truth. None elsewhere (stored,
    returned, or handed to another callee, such as `asyncio.gather`)."""
    collection = site.collection
    if collection is None:
        return None
    if collection.use == DROPPED:
        kind = _COLLECTION_KINDS.get(type(collection.node), "collection")
        return DROPPED, f"the {kind} it is in is dropped, so it never runs"
    call = collection.parent_call
    if (
        collection.use != ARGUMENT
        or call is None
        or call.keywords
        or len(call.args) != 1
        or call.args[0] is not collection.node
    ):
        return None
    name = qualname_of_value(context.value(call.func, site.function))
    if name not in _TRUTH_OF_EACH:
        return None
    short = name.rsplit(".", 1)[-1]
    return TRUTH, f"`{short}()` tests it for truth, which is always true"


def _passed_to_other_bool(context: FileContext, site: CallSite) -> bool:
    """Whether `site`, taken for a truth test by the walk as an argument of
    a call spelled `bool(...)`, is passed to something else of that name."""
    call = site.parent_call
    if call is None or not any(arg is site.node for arg in call.args):
        return False
    callee = qualname_of_value(context.value(call.func, site.function))
    return callee != "builtins.bool"


def _attribute_names(context: FileContext) -> dict[int, str]:
    """For each expression whose attribute is read, the attribute's name
    (walked once per file, and only for a file that needs it)."""
    names = context.rule_memo.get("attribute_names")
    if not isinstance(names, dict):
        names = {
            id(node.value): node.attr
            for node in ast.walk(context.module.tree)
            if isinstance(node, ast.Attribute)
        }
        context.rule_memo["attribute_names"] = names
    return names


def _awaiting_mends(site: CallSite, wrapper: bool, in_place: bool) -> bool:
    """Whether adding `await` at `site` mends it: only inside `async def`,
    in its own frame.

    What awaiting a wrapper gives (a response) is as true as the wrapper,
    so `await` does not mend a truth test; elsewhere it leaves that
    response (or websocket) open for the collector to release, where
    `async with` would close it (the fix is unsafe). A call judged by the
    collection it is in (`in_place` false) gets none: `await` would make a
    generator expression asynchronous (`any()` then fails), and whether a
    dropped list of coroutines was meant to run in turn or together is
    not clear.
    """
    if site.function is None or not site.function.is_async or not in_place:
        return False
    if not site.own_frame:
        return False  # in a class body or generator expression inside it
    return not wrapper or site.use != TRUTH


class CoroutineNotAwaited(Rule):
    """A coroutine function is called and its coroutine is never awaited.

    The call creates a coroutine object and nothing runs: the result is
    dropped, tested for truth (always true, a security hole in permission
    checks), or assigned and then used as if it were the result. Passing
    the coroutine on (to `asyncio.gather`, `create_task`, `asyncio.run`, or
    any other callee), returning, yielding or storing it hands it to someone
    else and is not reported.

    A coroutine made as an element of a list, set, tuple or generator
    expression is judged by what happens to that collection: dropped as a
    statement (`[send(c) for c in clients]`: nothing runs), or handed to
    `any()` or `all()`, which test each element for truth and find it
    true (`any(check(x) for x in xs)`). Stored, returned, or passed to any
    other callee (`asyncio.gather(*[...])`), the collection is left alone.

    A library call that returns an object wrapping its coroutine (aiohttp's
    `session.get()`, `post()`, `ws_connect()`) is judged the same way when
    dropped, tested for truth, or assigned and never awaited or entered.

    Fix (inside `async def`): add `await`. The original statement can never
    have worked as written, so the fix is classed safe; for a library
    wrapper it is unsafe (the response or websocket it opens is left for
    the garbage collector), and a truth test of one gets no fix. Nor does
    a coroutine in a collection: `await` would make a generator expression
    asynchronous, which `any()` cannot iterate, and a dropped list may have
    been meant to run in turn or together (`asyncio.gather`).
    """

    code = "ASL102"
    slug = "coroutine-not-awaited"
    message = "coroutine from `{callee}()` is never awaited: {how}"
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        targets = context.migration_targets
        for site in context.sites.calls:
            element = None
            if site.use == CONTAINED and site.collection is not None:
                element = _element_use(context, site)
            if site.use not in _JUDGED and element is None and not targets:
                continue
            use = element[0] if element is not None else site.use
            found = _coroutine_made(context, site, use)
            if found is None:
                continue
            origin, wrapper = found
            if origin in targets:
                how = _migration_misuse(context, site)
            elif element is not None:
                how = element[1]
            else:
                how = self._misuse(context, site, wrapper)
            if how is None:
                continue
            fix = None
            if _awaiting_mends(site, wrapper, element is None or origin in targets):
                fix = Fix(
                    Applicability.UNSAFE if wrapper else Applicability.SAFE,
                    "Add `await`",
                    AddAwait(context.range(site.node)),
                )
            callee = origin if "." in origin else ast.unparse(site.node.func)
            yield self.violation(
                context.path, context.range(site.node), fix, callee=callee, how=how
            )

    def _misuse(
        self, context: FileContext, site: CallSite, wrapper: bool
    ) -> str | None:
        """How the coroutine (or wrapper) made at `site` is misused where
        the call stands, or None if that use is fine."""
        protocol = _WRAPPER_ATTRIBUTES if wrapper else _COROUTINE_ATTRIBUTES
        if site.use == TRUTH and _passed_to_other_bool(context, site):
            return None
        if site.use == ATTRIBUTE:
            if _attribute_names(context).get(id(site.node)) in protocol:
                return None
        elif site.use == ASSIGNED:
            return self._assigned_misuse(context, site.function, site.target, protocol)
        return _HOW.get(site.use)

    @staticmethod
    def _assigned_misuse(
        context: FileContext,
        function: FunctionInfo | None,
        name: str | None,
        protocol: frozenset[str],
    ) -> str | None:
        if name is None:
            return None
        uses = context.sites.name_uses(function, name)
        attributes = _attribute_names(context)
        if any(
            use.use == ATTRIBUTE and attributes.get(id(use.node)) in protocol
            for use in uses
        ):
            return None  # driven or closed by hand
        # Any use that hands the coroutine on makes the name somebody else's
        # business, wherever it stands: uses are not ordered by the paths
        # that reach them. Another name (`job = pending`) is such a use;
        # the rule does not follow it.
        if any(use.use in _HANDED_ON for use in uses):
            return None
        if not uses:
            if function is None:
                return None  # a module global may be used by other modules
            return f"`{name}` is assigned and never awaited"
        first = min(uses, key=lambda u: u.node.lineno)
        return f"`{name}` is used on line {first.node.lineno} without being awaited"


# Callees that take a coroutine object and run it; a migrated call passed to
# one of them stays as it is (migrate's `--now-sync` lists such calls).
CORO_RUNNERS = frozenset(
    {
        "asyncio.gather",
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.run",
        "asyncio.wait_for",
        "asyncio.shield",
        "asyncio.run_coroutine_threadsafe",
        "asyncio.TaskGroup.create_task",
        "asyncio.taskgroups.TaskGroup.create_task",
        "anyio.run",
    }
)


def _migration_misuse(context: FileContext, site: CallSite) -> str | None:
    """Under `migrate --now-async`: every use but awaiting or handing the
    coroutine to a runner needs an `await` now."""
    if site.use == AWAITED:
        return None
    if site.parent_call is not None:
        callee = context.value(site.parent_call.func, site.function)
        name = qualname_of_value(callee)
        library = context.inference.library
        if name is not None and CORO_RUNNERS & {name, library.canonical(name)}:
            return None
    if site.function is None or not site.own_frame:
        return _NO_AWAIT_HERE
    if not site.function.is_async:
        return (
            "the caller is a sync function; "
            "make it async first (its callers then need `await`)"
        )
    return "it became a coroutine function and must be awaited"


# Where a call runs in no function's own frame, making a function async
# gives it no place for an `await` (a top-level def's defaults run once, at
# module level; a lambda cannot await; an `await` would make a generator
# expression asynchronous).
_NO_AWAIT_HERE = (
    "no `await` can go where it is called (module level, a top-level def's "
    "defaults or decorators, a lambda, a class body or a generator "
    "expression); change it by hand"
)
