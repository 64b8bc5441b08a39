"""Which calls block the event loop, directly or through project helpers."""

from __future__ import annotations

import ast

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
# A flag that makes a resolver call answer from the text of the address alone.
_NO_LOOKUP_FLAGS = frozenset(
    {"socket.AI_NUMERICHOST", "socket.AddressInfo.AI_NUMERICHOST"}
)
_NEVER_TRUE = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})
_SOCKET = "socket.socket."
# Methods that switch a socket to non-blocking mode when given False or 0.
_MODE_SWITCHES = frozenset({"socket.socket.setblocking", "socket.socket.settimeout"})


class BlockingCalls:
    """Memoised answers to "does calling this block?", with the call chain."""

    def __init__(self, inference: Inference) -> None:
        self.inference = inference
        self._chains: dict[FunctionInfo, tuple[str, ...] | None] = {}
        self._skipped: dict[tuple[FunctionInfo, bool], frozenset[int]] = {}

    def site_chain(
        self, call: ast.Call, function: FunctionInfo
    ) -> tuple[str, ...] | None:
        """The chain of a call written in `function` (an `async def`)."""
        if id(call) in self.skipped_calls(function, threads=False):
            return None
        callee = self.inference.value(call.func, function)
        if isinstance(callee, LibraryFunction) and self._waits_no_time(call, function):
            return None
        return self.chain(callee)

    def iterating_blocks(self, call: ast.Call, function: FunctionInfo) -> bool:
        """Whether iterating the result of a call written in `function`
        waits (`for p in path.glob(...)`), though the call itself does not."""
        if id(call) in self.skipped_calls(function, threads=False):
            return False
        callee = self.inference.value(call.func, function)
        return isinstance(callee, LibraryFunction) and callee.spec.iterating_blocks

    def chain(self, callee: Value) -> tuple[str, ...] | None:
        """The qualified names from `callee` down to a blocking library call."""
        return self._chain(callee, 0)

    def _chain(self, callee: Value, depth: int) -> tuple[str, ...] | None:
        if isinstance(callee, (ClassRef, LibraryClass)):
            callee = self.constructor(callee)
        if isinstance(callee, LibraryFunction):
            return (callee.spec.qualname,) if callee.spec.kind == "blocking" else None
        if isinstance(callee, FunctionRef) and callee.function.kind == "sync":
            below = self.function_chain(callee.function, depth)
            return (callee.function.qualname, *below) if below else None
        return None

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
        self, function: FunctionInfo, depth: int
    ) -> tuple[str, ...] | None:
        if function in self._chains:
            return self._chains[function]
        self._chains[function] = None  # a cycle reads as "not blocking"
        found: tuple[str, ...] | None = None
        if depth < _MAX_CHAIN and self._plain(function):
            skipped = self.skipped_calls(function, threads=True)
            for call in function.calls:
                if id(call) not in skipped:
                    found = self._call_chain(call, function, depth)
                if found:
                    break
        self._chains[function] = found
        return found

    def _call_chain(
        self, call: ast.Call, function: FunctionInfo, depth: int
    ) -> tuple[str, ...] | None:
        callee = self.inference.value(call.func, function)
        if isinstance(callee, LibraryFunction) and self._waits_no_time(call, function):
            return None
        return self._chain(callee, depth + 1)

    def _plain(self, function: FunctionInfo) -> bool:
        """Only undecorated-or-transparent sync functions are followed."""
        return self.inference.function_object(function) == FunctionRef(function)

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

    def _waits_no_time(self, call: ast.Call, function: FunctionInfo) -> bool:
        """`timeout=0`, `block=False` or `blocking=False` given as literals, a
        resolver told not to look names up (`AI_NUMERICHOST`), or a method of
        a socket that `function` was handed or made non-blocking."""
        for keyword in call.keywords:
            value = keyword.value
            if not isinstance(value, ast.Constant) or isinstance(value.value, str):
                continue
            if keyword.arg == "timeout" and value.value == 0:
                return True
            if keyword.arg in ("block", "blocking") and value.value is False:
                return True
        for argument in [*call.args, *(k.value for k in call.keywords)]:
            for node in ast.walk(argument):
                if (
                    isinstance(node, (ast.Name, ast.Attribute))
                    and qualname_of_value(self.inference.value(node, function))
                    in _NO_LOOKUP_FLAGS
                ):
                    return True
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if not isinstance(receiver, ast.Name):
            return False
        callee = qualname_of_value(self.inference.value(call.func, function)) or ""
        if callee.startswith(_SOCKET) and _is_parameter(
            self.inference, receiver, function
        ):
            return True  # the caller may have made it non-blocking
        for other in function.calls:
            func = other.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == receiver.id
                and other.args
                and isinstance(other.args[0], ast.Constant)
                and other.args[0].value in (False, 0)
                and qualname_of_value(self.inference.value(func, function))
                in _MODE_SWITCHES
            ):
                return True
        return False


def _is_parameter(inference: Inference, name: ast.Name, function: FunctionInfo) -> bool:
    found = inference.lookup(name.id, function)
    if found is None or len(found[0]) != 1:
        return False
    return isinstance(found[0][0].node, ast.arg)


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
