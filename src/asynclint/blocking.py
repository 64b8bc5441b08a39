"""Which calls block the event loop, directly or through project helpers."""

from __future__ import annotations

import ast

from asynclint.infer import Inference
from asynclint.summary import FunctionInfo
from asynclint.values import FunctionRef, LibraryFunction, Value

_MAX_CHAIN = 12


class BlockingCalls:
    """Memoised answers to "does calling this block?", with the call chain."""

    def __init__(self, inference: Inference) -> None:
        self.inference = inference
        self._chains: dict[FunctionInfo, tuple[str, ...] | None] = {}

    def chain(self, callee: Value) -> tuple[str, ...] | None:
        """The qualified names from `callee` down to a blocking library call."""
        if isinstance(callee, LibraryFunction):
            return (callee.spec.qualname,) if callee.spec.kind == "blocking" else None
        if isinstance(callee, FunctionRef) and callee.function.kind == "sync":
            below = self.function_chain(callee.function, 0)
            return (callee.function.qualname, *below) if below else None
        return None

    def function_chain(self, function: FunctionInfo, depth: int) -> tuple[str, ...] | None:
        if function in self._chains:
            return self._chains[function]
        self._chains[function] = None  # a cycle reads as "not blocking"
        found: tuple[str, ...] | None = None
        if depth < _MAX_CHAIN and self._plain(function):
            for call in function.calls:
                found = self._call_chain(call, function, depth)
                if found:
                    break
        self._chains[function] = found
        return found

    def _call_chain(
        self, call: ast.Call, function: FunctionInfo, depth: int
    ) -> tuple[str, ...] | None:
        callee = self.inference.value(call.func, function)
        if isinstance(callee, LibraryFunction):
            return (callee.spec.qualname,) if callee.spec.kind == "blocking" else None
        if isinstance(callee, FunctionRef) and callee.function.kind == "sync":
            below = self.function_chain(callee.function, depth + 1)
            return (callee.function.qualname, *below) if below else None
        return None

    def _plain(self, function: FunctionInfo) -> bool:
        """Only undecorated-or-transparent sync functions are followed."""
        return self.inference.function_object(function) == FunctionRef(function)
