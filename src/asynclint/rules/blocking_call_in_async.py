"""ASL301: a blocking call on the event loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asynclint.blocking import BlockingCalls
from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.sites import ASSIGNED, DROPPED, ITERATED, RETURNED, CallSite
from asynclint.summary import FunctionInfo
from asynclint.thread_offload import to_thread_name
from asynclint.types import (
    Applicability,
    AwaitCoroutineInstead,
    Fix,
    OffloadToThread,
    Violation,
)
from asynclint.values import ClassRef, FunctionRef, LibraryClass, LibraryFunction

_CALLEES = (LibraryFunction, FunctionRef, LibraryClass, ClassRef)
Callee = LibraryFunction | FunctionRef | LibraryClass | ClassRef
# A longer chain shows its first and last few links around a count.
_SHOWN_LINKS = 12
_LINKS_AT_EACH_END = 5
# Blocking calls that asyncio has a coroutine function for, by its name.
_ASYNC_VERSIONS = {"time.sleep": "sleep"}


class BlockingCallInAsync(Rule):
    """A blocking call inside `async def` stalls the event loop.

    Sync database clients (clickhouse-driver's `Client.execute`,
    psycopg2, redis), sync HTTP (`requests`, `httpx.Client`),
    `time.sleep`, `subprocess.run`, `open` and `Future.result()` stop every
    other task while they wait. A sync function of the project that makes
    such a call is followed through the index to any depth, helpers that
    call each other in a cycle too, and the message shows the chain (past
    twelve links, its first and last five and how many are left out). So
    is the `__init__` that constructing a class runs: a project class's,
    or a library class's the model says blocks (the clickhouse-connect
    HttpClient connects). A call that returns at once a lazy iterator
    whose iteration waits (`Path.glob`, `as_completed`, redis
    `PubSub.listen`, or a project generator function whose body blocks) is
    reported where a `for` iterates it directly. So is a sync `with` whose
    library `__exit__` waits: leaving `with ThreadPoolExecutor() as pool:`
    runs `shutdown(wait=True)`. `asyncio.to_thread(f, ...)`
    and `loop.run_in_executor(None, f, ...)` pass the function, not its
    result, and are never reported; `asyncio.to_thread(f(x))` calls `f` on
    the loop and is. A project `def`, method or class named in
    `blocking-calls` is reported like a library call; an `async def` or
    generator function so named is not, since calling it runs none of its
    body.

    What a call passes travels down the chain. A literal (True, False,
    None, a number; of a string, whether it is empty), written there (a
    `**{"name": value}` written inline counts as `name=value`; a mapping
    bound to a name first is not read), left to a parameter's default or
    passed on from the caller's parameter,
    decides the tests of the helper that read it (`if local_mode:`, `if
    not path:`, `fp is None`, `retries > 0`, `isinstance(fp, str)`, and
    `and`/`or`/`not` of those) as long as the helper has not rebound it;
    a side decided against is not followed, and one decided for that ends
    in `return` or `raise` leaves the rest of its block unrun. A literal
    that makes the call itself return at once (`timeout=0`, `block=False`,
    `Executor.shutdown(wait=False)`, the same in their positions, as in
    `q.get(False)`, `event.wait(0)` or `q.get(True, 0)`, or
    `self.close(wait=False)` whose body calls `shutdown(wait=wait)`) means
    the call is not reported; so does a future known to be done, for
    `future.result()` after `await asyncio.wrap_future(future)` or under
    `if future.done():` in the same function, with `future` a local name
    bound nowhere after that. An argument whose class inference knows (a
    client the caller made, a project object) tells what an unannotated
    parameter of the helper holds, so `fetch_rows(client, ...)` whose body
    calls `client.execute` is reported through it; so is a local the
    helper binds once from such a parameter (`cursor = conn.cursor()`,
    `with conn.cursor() as cursor:`) before `cursor.execute(...)`.

    Inside a followed helper, though never in the `async def` where the
    user wrote the call, two kinds of branch are not followed unless the
    call decides them. One tests which thread runs (it is written to act
    differently off the loop). The other dispatches on the type of a
    parameter or of an attribute reached from one (`isinstance(fp,
    io.IOBase)`, `issubclass`, `type(x) is`, as in discord.py's `File` or
    uvicorn's logging config): each side serves a different kind of
    argument, and which one the caller hands over is not known. Where one
    side ends in `return`, the rest of the block is the other side and is
    not followed either; a side that only raises is a guard, and the rest
    is. A `str` literal argument decides `isinstance(fp, io.IOBase)`.

    Fix: for `time.sleep(x)`, `await asyncio.sleep(x)`, the wait the user
    meant; unsafe, since other tasks now run during the wait and the task
    can be cancelled there, which a sleep that held the loop never let
    happen. For any other call, `await asyncio.to_thread(...)` around it
    (adding `import asyncio`), with a `lambda` when the receiver is itself
    computed by a call, so that the whole expression runs in the worker
    thread. That fix is safe for a project function or class or a receiver
    made in the worker thread, and unsafe when it hands a shared client
    object to another thread (many clients, clickhouse-driver's among
    them, are not thread-safe) or builds a library object there (some
    libraries tie an object to the thread that made it). An iterated lazy
    iterator gets no fix: the thread would hand back the iterator, still
    read on the loop. Nor does a module that may run under another event
    loop (it imports trio, anyio, curio or sniffio), or one where the name
    `asyncio` means something else; an existing `import asyncio as aio`
    or `from asyncio import to_thread` is used as spelled.
    """

    code = "ASL301"
    slug = "blocking-call-in-async"
    message = "blocking call `{callee}()` inside `async def`{chain}"
    fixable = True

    def check(self, context: FileContext) -> Iterator[Violation]:
        blocking = _blocking_for(context)
        deferred: frozenset[int] | None = None
        for site in context.sites.calls:
            function = site.function
            if function is None or not function.is_async:
                continue
            callee = context.value(site.node.func, function)
            if not isinstance(callee, _CALLEES):
                continue
            chain = blocking.site_chain(site.node, function)
            via = ""
            fix = None
            if chain:
                if len(chain) > 1:
                    via = f" (blocks through {_chain_text(chain)})"
                if site.own_frame:
                    fix = _fix(context, site, callee, blocking, function)
            elif site.use == ITERATED:
                below = blocking.iterating_chain(site.node, function)
                if below is None:
                    continue
                if deferred is None:
                    deferred = _generator_iterables(context)
                if id(site.node) in deferred:
                    continue
                # No fix: a worker thread would hand back the same lazy
                # iterator, still read on the loop.
                via = " (iterating its result waits)"
                if len(below) > 1:
                    via = f" (iterating its result waits: {_chain_text(below)})"
            else:
                continue
            yield self.violation(
                context.path,
                context.range(site.node),
                fix,
                callee=ast.unparse(site.node.func),
                chain=via,
            )
        yield from self._exits(context, blocking)

    def _exits(
        self, context: FileContext, blocking: BlockingCalls
    ) -> Iterator[Violation]:
        """Sync `with` statements in `async def` whose `__exit__` waits
        (leaving `with ThreadPoolExecutor() as pool:` shuts the pool down
        and joins its threads). No fix: the exit cannot be moved alone."""
        for site in context.sites.withs:
            function = site.function
            if (
                function is None
                or not function.is_async
                or not isinstance(site.node, ast.With)
            ):
                continue
            manager = site.item.context_expr
            exit_name = blocking.exit_blocks(manager, function)
            if exit_name is None:
                continue
            yield self.violation(
                context.path,
                context.range(manager),
                None,
                callee=f"{ast.unparse(manager)}.__exit__",
                chain=f" (run on leaving the `with` block: `{exit_name}`)",
            )


def _chain_text(chain: tuple[str, ...]) -> str:
    """`a` -> `b` -> ... -> `time.sleep`, with the middle of a chain longer
    than `_SHOWN_LINKS` left out and counted."""
    names = [f"`{name}`" for name in chain]
    if len(names) > _SHOWN_LINKS:
        left_out = len(names) - 2 * _LINKS_AT_EACH_END
        names[_LINKS_AT_EACH_END:-_LINKS_AT_EACH_END] = [f"... {left_out:,} more"]
    return " -> ".join(names)


def _generator_iterables(context: FileContext) -> frozenset[int]:
    """Ids of the expressions that generator expressions iterate: they are
    read wherever the generator is consumed, perhaps in a worker thread.
    Walked only for a file with a lazily blocking iterator in a loop."""
    return frozenset(
        id(generator.iter)
        for node in ast.walk(context.module.tree)
        if isinstance(node, ast.GeneratorExp)
        for generator in node.generators
    )


def _blocking_for(context: FileContext) -> BlockingCalls:
    cached = context.rule_memo.get("blocking_calls")
    if not isinstance(cached, BlockingCalls):
        cached = BlockingCalls(context.inference)
        context.rule_memo["blocking_calls"] = cached
    return cached


def _runs_project_code(blocking: BlockingCalls, callee: Callee) -> bool:
    """Whether the callee is the project's own code (a plain function, or a
    class whose `__init__` is the project's), safe to move to a thread."""
    if isinstance(callee, ClassRef):
        return isinstance(blocking.constructor(callee), FunctionRef)
    return isinstance(callee, FunctionRef) and not callee.bound


def _fix(
    context: FileContext,
    site: CallSite,
    callee: Callee,
    blocking: BlockingCalls,
    function: FunctionInfo,
) -> Fix | None:
    """`await asyncio.sleep(...)` for `time.sleep`, else the call offloaded
    with `await asyncio.to_thread(...)`; only for a call that is a whole
    statement's value, with no `await` or `yield` inside."""
    call = site.node
    if site.use not in (DROPPED, ASSIGNED, RETURNED) or site.statement is None:
        return None
    if getattr(site.statement.node, "value", None) is not call:
        return None
    nested = (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
    if any(isinstance(n, nested) for n in ast.walk(call)):
        return None
    where = context.range(call)
    coroutine = None
    if isinstance(callee, LibraryFunction):
        coroutine = _ASYNC_VERSIONS.get(callee.spec.qualname)
    if coroutine is not None:
        name = to_thread_name(context, function, call, coroutine)
        if name is None:
            return None
        return Fix(
            Applicability.UNSAFE,
            f"Wait on the event loop with `await {name.function}(...)`",
            AwaitCoroutineInstead(where, name.function),
            needs_import=name.needs_import,
        )
    name = to_thread_name(context, function, call)
    if name is None:
        return None
    receiver_has_call = any(isinstance(n, ast.Call) for n in ast.walk(call.func))
    safe = receiver_has_call or _runs_project_code(blocking, callee)
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    return Fix(
        applicability,
        f"Run it in a worker thread with `await {name.function}(...)`",
        OffloadToThread(where, name.function),
        needs_import=name.needs_import,
    )
