"""Which calls block the event loop, directly or through project helpers."""

from __future__ import annotations

import ast

from asynclint import decorators
from asynclint.call_literals import Literals, bound_literals, waits_no_time
from asynclint.infer import Inference, Scope
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.values import (
    UNKNOWN,
    ClassRef,
    FunctionRef,
    LibraryClass,
    LibraryFunction,
    Value,
    qualname_of_value,
)

_MAX_CHAIN = 12

# A branch that tests which thread runs is written to behave differently off
# the event loop (`if loop_thread_id != threading.get_ident(): fut.result()`).
_THREAD_TESTS = frozenset(
    {
        "threading.get_ident",
        "threading.get_native_id",
        "threading.current_thread",
        "threading.main_thread",
        "_thread.get_ident",
    }
)
_NEVER_TRUE = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})


class BlockingCalls:
    """Memoised answers to "does calling this block?", with the call chain."""

    def __init__(self, inference: Inference) -> None:
        self.inference = inference
        self._chains: dict[tuple[FunctionInfo, Literals], tuple[str, ...] | None] = {}
        self._skipped: dict[tuple[FunctionInfo, bool], frozenset[int]] = {}

    def site_chain(
        self, call: ast.Call, function: FunctionInfo
    ) -> tuple[str, ...] | None:
        """The chain of a call written in `function` (an `async def`)."""
        if id(call) in self.skipped_calls(function, threads=False):
            return None
        return self._call_chain(call, function, (), 0)

    def iterating_blocks(self, call: ast.Call, function: FunctionInfo) -> bool:
        """Whether iterating the result of a call written in `function`
        waits (`for p in path.glob(...)`), though the call itself does not."""
        if id(call) in self.skipped_calls(function, threads=False):
            return False
        callee = self.inference.value(call.func, function)
        return isinstance(callee, LibraryFunction) and callee.spec.iterating_blocks

    def _call_chain(
        self, call: ast.Call, function: FunctionInfo, known: Literals, depth: int
    ) -> tuple[str, ...] | None:
        """The chain of `call`, written in `function` whose parameters
        `known` binds to literals, down to a blocking library call."""
        callee = self.inference.value(call.func, function)
        if isinstance(callee, (ClassRef, LibraryClass)):
            declared = self._declared(callee)
            if declared is not None:
                return declared
            callee = self.constructor(callee)
        if isinstance(callee, LibraryFunction):
            spec = callee.spec
            if spec.kind != "blocking" or waits_no_time(
                self.inference, call, function, spec, known
            ):
                return None
            return (spec.qualname,)
        if not isinstance(callee, FunctionRef) or callee.function.kind != "sync":
            return None
        target = callee.function
        declared = self._declared(callee)
        if declared is not None or self._declared_async(target):
            return declared
        passed = bound_literals(
            self.inference, call, target, callee.bound, function, known
        )
        below = self.function_chain(target, depth, passed)
        return (target.qualname, *below) if below else None

    def _declared(
        self, callee: FunctionRef | ClassRef | LibraryClass
    ) -> tuple[str] | None:
        """The chain of a project definition declared in `blocking-calls`:
        a plain `def`, or a class whose construction blocks."""
        if isinstance(callee, LibraryClass):
            return None
        if isinstance(callee, ClassRef):
            name = callee.klass.qualname
        elif callee.function.parent is None and callee.function.kind == "sync":
            name = callee.function.qualname
        else:
            return None  # a nested def is not importable by a dotted name
        declared = self.inference.library.declared(name)
        return (name,) if declared == "blocking" else None

    def _declared_async(self, function: FunctionInfo) -> bool:
        """Whether a plain `def` is declared a coroutine function: its call
        returns a coroutine and runs none of its body (a migration's
        `--now-async` target)."""
        if function.parent is not None:
            return False
        return self.inference.library.declared(function.qualname) == "coroutine"

    def constructor(self, klass: ClassRef | LibraryClass) -> Value:
        """The `__init__` that calling `klass` runs, as far as it is known.

        A project class that defines `__new__` anywhere in its MRO may hand
        back an object that is not initialised by this call: unknown.
        """
        if isinstance(klass, LibraryClass):
            spec = self.inference.library.method(klass.spec.qualname, "__init__")
            return LibraryFunction(spec) if spec is not None else UNKNOWN
        linear = self.inference.mro(klass.klass)
        if linear is None or any(
            isinstance(entry, ClassInfo) and "__new__" in entry.methods
            for entry in linear
        ):
            return UNKNOWN
        return self.inference.instance_attribute(klass.klass, "__init__")

    def function_chain(
        self, function: FunctionInfo, depth: int, known: Literals = ()
    ) -> tuple[str, ...] | None:
        """The chain below a plain `def` called with parameters bound to
        the literals `known`, memoised per function and binding."""
        key = (function, known)
        if key in self._chains:
            return self._chains[key]
        self._chains[key] = None  # a cycle reads as "not blocking"
        found: tuple[str, ...] | None = None
        if depth < _MAX_CHAIN and self._plain(function):
            skipped = self.skipped_calls(function, threads=True)
            for call in function.calls:
                if id(call) not in skipped:
                    found = self._call_chain(call, function, known, depth + 1)
                if found:
                    break
        self._chains[key] = found
        return found

    def _plain(self, function: FunctionInfo) -> bool:
        """Only undecorated-or-transparent sync functions are followed."""
        return decorators.function_object(self.inference, function) == FunctionRef(
            function
        )

    # -- calls that do not run, or do not wait ----------------------------

    def skipped_calls(self, function: FunctionInfo, threads: bool) -> frozenset[int]:
        """Ids of the calls in branches that never run (`if TYPE_CHECKING:`,
        `if not IS_SYNC:` with a constant), and with `threads` in branches
        that test which thread is running."""
        key = (function, threads)
        known = self._skipped.get(key)
        if known is None:
            skipped: set[int] = set()
            self._skip_in(function.node.body, function, threads, skipped)
            known = self._skipped[key] = frozenset(skipped)
        return known

    def _skip_in(
        self, body: list[ast.stmt], scope: Scope, threads: bool, skipped: set[int]
    ) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(stmt, ast.If):
                truth = _constant_truth(self.inference, stmt.test, scope)
                dead: list[ast.stmt] = []
                if truth is False:
                    dead = stmt.body
                elif truth is True:
                    dead = stmt.orelse
                elif threads and self._tests_thread(stmt.test, scope):
                    dead = [*stmt.body, *stmt.orelse]
                for node in dead:
                    skipped.update(
                        id(n) for n in ast.walk(node) if isinstance(n, ast.Call)
                    )
            for block in _blocks(stmt):
                self._skip_in(block, scope, threads, skipped)

    def _tests_thread(self, test: ast.expr, scope: Scope) -> bool:
        for node in ast.walk(test):
            if isinstance(node, ast.Call):
                name = qualname_of_value(self.inference.value(node.func, scope))
                if name in _THREAD_TESTS:
                    return True
        return False


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested directly in `stmt`."""
    blocks = [
        block
        for name in ("body", "orelse", "finalbody")
        if isinstance(block := getattr(stmt, name, None), list)
    ]
    blocks.extend(handler.body for handler in getattr(stmt, "handlers", []))
    blocks.extend(case.body for case in getattr(stmt, "cases", []))
    return blocks


def _constant_truth(inference: Inference, test: ast.expr, scope: Scope) -> bool | None:
    """True or False when `test` is a constant: a literal, `TYPE_CHECKING`, or
    a name bound once, to a literal, in the module that defines it."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _constant_truth(inference, test.operand, scope)
        return None if inner is None else not inner
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if not isinstance(test, (ast.Name, ast.Attribute)):
        return None
    if qualname_of_value(inference.value(test, scope)) in _NEVER_TRUE:
        return False
    if not isinstance(test, ast.Name):
        return None
    found = inference.lookup(test.id, scope)
    if found is None or len(found[0]) != 1:
        return None
    binding, where = found[0][0], found[1]
    if isinstance(where, FunctionInfo):
        return None  # a local may be computed; only module constants count
    if binding.kind == "import" and binding.member is not None:
        summary = inference.module(binding.module)
        bindings = summary.bindings.get(binding.member) if summary else None
        if not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
    if binding.kind == "assign" and isinstance(binding.value, ast.Constant):
        value = binding.value.value
        return value if isinstance(value, bool) else None
    return None
