"""Which calls block the event loop, directly or through project helpers."""

from __future__ import annotations

import ast
from collections.abc import Hashable, Iterator
from typing import cast

from asynclint import decorators
from asynclint.branches import dead_calls, tested_names
from asynclint.call_chains import ChainSearch, Follow, Step
from asynclint.call_literals import Bindings, bound_arguments, value_in
from asynclint.infer import Inference
from asynclint.no_wait import waits_no_time
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.values import (
    UNKNOWN,
    ClassRef,
    FunctionRef,
    Instance,
    LibraryClass,
    LibraryFunction,
    LibraryInstance,
    Value,
)

Key = tuple[FunctionInfo, Bindings]


class BlockingCalls:
    """Memoised answers to "does calling this block?", with the call chain."""

    def __init__(self, inference: Inference) -> None:
        self.inference = inference
        self._search = ChainSearch()
        self._skipped: dict[FunctionInfo, frozenset[int]] = {}
        self._wanted: dict[FunctionInfo, frozenset[str]] = {}

    def site_chain(
        self, call: ast.Call, function: FunctionInfo
    ) -> tuple[str, ...] | None:
        """The chain of a call written in `function` (an `async def`)."""
        if id(call) in self.skipped_calls(function):
            return None
        step = self._step(call, function, ())
        if not isinstance(step, Follow):
            return step
        below = self._search.chain(step.key, self._function_steps)
        return (step.name, *below) if below else None

    def iterating_chain(
        self, call: ast.Call, function: FunctionInfo
    ) -> tuple[str, ...] | None:
        """The chain of what iterating the result of a call written in
        `function` runs, though the call itself returns at once: a lazy
        library iterator (`for p in path.glob(...)`), or a project
        generator function's body."""
        if id(call) in self.skipped_calls(function):
            return None
        callee = self.inference.value(call.func, function)
        if isinstance(callee, LibraryFunction):
            spec = callee.spec
            return (spec.qualname,) if spec.iterating_blocks else None
        if not isinstance(callee, FunctionRef) or callee.function.kind != "generator":
            return None
        follow = self._follow(call, callee, function, ())
        below = self._search.chain(follow.key, self._function_steps)
        return (follow.name, *below) if below else None

    def exit_blocks(self, manager: ast.expr, function: FunctionInfo) -> str | None:
        """The qualified name of the library `__exit__` that leaving a sync
        `with manager:` in `function` runs, when it blocks."""
        if id(manager) in self.skipped_calls(function):
            return None
        value = self.inference.value(manager, function)
        if not isinstance(value, (LibraryInstance, Instance)):
            return None
        method = self.inference.attribute(value, "__exit__")
        if isinstance(method, LibraryFunction) and method.spec.kind == "blocking":
            return method.spec.qualname
        return None

    def function_chain(
        self, function: FunctionInfo, known: Bindings = ()
    ) -> tuple[str, ...] | None:
        """The chain below a plain `def` called with its parameters bound
        as `known` says, followed to any depth (see `call_chains`)."""
        return self._search.chain((function, known), self._function_steps)

    def _function_steps(self, key: Hashable) -> Iterator[Step]:
        """What each call of a followed function does, in source order."""
        function, known = cast(Key, key)
        if not self._plain(function):
            return
        skipped = dead_calls(self.inference, function, known, helper=True)
        for call in function.calls:
            if id(call) not in skipped:
                yield self._step(call, function, known)

    def _step(self, call: ast.Call, function: FunctionInfo, known: Bindings) -> Step:
        """What `call`, written in `function` whose parameters `known`
        binds, does: blocks (a library call, a declared definition), runs
        a project `def` with what it binds to its parameters, or neither."""
        callee = value_in(self.inference, call.func, function, known)
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
        return self._follow(call, callee, function, known)

    def _follow(
        self,
        call: ast.Call,
        callee: FunctionRef,
        function: FunctionInfo,
        known: Bindings,
    ) -> Follow:
        """The project function `call` runs, with what it binds to the
        parameters that can matter."""
        target = callee.function
        passed: Bindings = ()
        parameters = target.node.args
        if call.args or call.keywords or parameters.defaults or parameters.kw_defaults:
            wanted = self._wanted_by(target)
            passed = bound_arguments(
                self.inference, call, target, callee.bound, function, known, wanted
            )
        return Follow(target.qualname, (target, passed))

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

    def _plain(self, function: FunctionInfo) -> bool:
        """Only undecorated-or-transparent sync functions are followed."""
        return decorators.function_object(self.inference, function) == FunctionRef(
            function
        )

    def skipped_calls(self, function: FunctionInfo) -> frozenset[int]:
        """Ids of the calls that never run in `function`, an `async def`
        written by the user (see `branches`)."""
        found = self._skipped.get(function)
        if found is None:
            found = dead_calls(self.inference, function, (), helper=False)
            self._skipped[function] = found
        return found

    def _wanted_by(self, function: FunctionInfo) -> frozenset[str]:
        """The parameters of `function` whose binding can matter: those its
        `if` tests read, it passes on, or it calls methods of."""
        found = self._wanted.get(function)
        if found is None:
            names = tested_names(function)
            for call in function.calls:
                root = call.func
                while isinstance(root, ast.Attribute):
                    root = root.value
                arguments = [*call.args, *(k.value for k in call.keywords)]
                for node in [root, *arguments]:
                    if isinstance(node, ast.Starred):
                        node = node.value
                    if isinstance(node, ast.Name):
                        names.add(node.id)
            parameters = function.node.args
            every = [
                *parameters.posonlyargs,
                *parameters.args,
                *parameters.kwonlyargs,
            ]
            found = frozenset(p.arg for p in every if p.arg in names)
            self._wanted[function] = found
        return found
