"""The calls of the functions a migration targets, found by the resolver.

A migration fixes only the findings about those calls, whatever else the
rules find in the same files, and lists the calls it cannot rewrite. Under
`--now-sync`, `asyncio.create_task(get_connection())`,
`asyncio.gather(get_connection())` and `asyncio.wait_for(get_connection(), 1)`
need a coroutine; once `get_connection` is a plain function they receive
its result and fail. No rewrite keeps their meaning (the call may belong
in a thread, or the runner may go), so they are left to the user. The
same holds for the elements of a collection unpacked into a runner's
arguments (`asyncio.gather(*[fetch(u) for u in urls])`). Under
`--now-async` such a handed call is already what the runner needs, so no
finding about it belongs to the migration.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.checker import Checker
from asynclint.context import FileContext
from asynclint.index import decode_source, parse
from asynclint.infer import Inference
from asynclint.rules.coroutine_not_awaited import CORO_RUNNERS as RUNNERS
from asynclint.sites import CONTAINED, CallSite, collect_sites
from asynclint.types import CodeRange, Violation
from asynclint.values import qualname_of_value

HANDOFF_CODE = "ASL101"
HANDOFF_MESSAGE = (
    "`{callee}()` is handed to `{runner}`, which needs a coroutine; "
    "once it is sync, change this call by hand"
)


@dataclass(slots=True)
class TargetCalls:
    """Per file, the range of every call and whether it calls a target."""

    calls: dict[Path, list[tuple[CodeRange, bool]]] = field(default_factory=dict)
    handoffs: list[Violation] = field(default_factory=list)

    def about(self, violation: Violation) -> bool:
        """Whether the outermost call in `violation`'s range calls a target."""
        inside = [
            (where, is_target)
            for where, is_target in self.calls.get(violation.path, [])
            if violation.range.start <= where.start and where.end <= violation.range.end
        ]
        return any(
            is_target
            and not any(
                other != where and other.start <= where.start and where.end <= other.end
                for other, _ in inside
            )
            for where, is_target in inside
        )


def find_target_calls(
    checker: Checker,
    files: Sequence[Path],
    targets: Sequence[str],
    sources: Mapping[Path, str],
) -> TargetCalls:
    """The calls in `files` (as `sources` has them) of `targets`, resolved."""
    found = TargetCalls()
    hints = {name.rsplit(".", 1)[-1] for name in targets}
    for path in files:
        text = sources.get(path)
        if text is None:
            try:
                text = decode_source(path.read_bytes())
            except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
                continue
        if any(hint in text for hint in hints):
            _scan(checker, path.absolute(), text, set(targets), found)
    found.handoffs.sort(key=Violation.sort_key)
    return found


def _scan(
    checker: Checker, path: Path, text: str, targets: set[str], found: TargetCalls
) -> None:
    try:
        tree = parse(text, str(path))
    except (SyntaxError, ValueError, RecursionError):
        return
    module = checker.index.summarize_tree(path, tree)
    inference = Inference(checker.index, checker.library)
    sites = collect_sites(module)
    inference.shadowed = sites.shadowed
    context = FileContext(path, text, module, sites, inference)
    calls = found.calls.setdefault(path, [])
    for site in context.sites.calls:
        callee = qualname_of_value(context.value(site.node.func, site.function))
        if callee not in targets:
            calls.append((context.range(site.node), False))
            continue
        runner = _runner(checker, context, site)
        # A call handed to a runner is not the migration's to rewrite.
        calls.append((context.range(site.node), runner is None))
        if runner is not None:
            message = HANDOFF_MESSAGE.format(callee=callee, runner=runner)
            where = context.range(site.node)
            found.handoffs.append(Violation(path, where, HANDOFF_CODE, message))


def _runner(checker: Checker, context: FileContext, site: CallSite) -> str | None:
    """The runner `site`'s call is handed to: as an argument, or as an
    element of a collection unpacked into the runner's arguments."""
    call = site.parent_call
    collection = site.collection
    if call is None and site.use == CONTAINED and collection is not None:
        call = collection.parent_call
        if call is None or not any(
            isinstance(arg, ast.Starred) and arg.value is collection.node
            for arg in call.args
        ):
            return None
    if call is None:
        return None
    runner = qualname_of_value(context.value(call.func, site.function))
    if runner is None:
        return None
    if runner in RUNNERS or checker.library.canonical(runner) in RUNNERS:
        return runner
    return None
