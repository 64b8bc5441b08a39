"""Which calls of a function's body run, for one call of the function.

A branch whose test is decided never runs its other side: a constant
(`if TYPE_CHECKING:`, `if not IS_SYNC:` with a module constant), or a
parameter that the call binds to a literal or a known object (`if
local_mode:`, `if not path:`, `if fp is None:`, `isinstance(fp, str)`,
and `and`/`or`/`not` of such parts). A decided branch that ends in
`return` or `raise` leaves the rest of its block unreached too.

In a followed helper (not the `async def` that the user wrote the call
in), two more kinds of branch are taken as not run unless decided: one
that tests which thread runs (written to behave differently off the
event loop), and one that dispatches on the type of a parameter or of an
attribute reached from one (`isinstance(fp, io.IOBase)`, `issubclass`,
`type(x) is`). Each side of such a dispatch serves a different kind of
argument, and which one the caller hands over is not known; when a side
ends in `return`, the rest of the block is the other side.
"""

from __future__ import annotations

import ast

from asynclint.branch_tests import BranchTests
from asynclint.call_literals import Bindings
from asynclint.infer import Inference
from asynclint.statement_blocks import blocks_in
from asynclint.summary import FunctionInfo
from asynclint.values import qualname_of_value

_THREAD_TESTS = frozenset(
    {
        "threading.get_ident",
        "threading.get_native_id",
        "threading.current_thread",
        "threading.main_thread",
        "_thread.get_ident",
    }
)
_TYPE_TESTS = frozenset({"builtins.isinstance", "builtins.issubclass"})
_TYPE_OF = frozenset({"builtins.type"})


def dead_calls(
    inference: Inference, function: FunctionInfo, known: Bindings, helper: bool
) -> frozenset[int]:
    """Ids of the calls of `function` that do not run when its parameters
    hold what `known` binds; with `helper`, also those in thread tests and
    undecided type dispatches."""
    walk = _Walk(inference, function, known, helper)
    walk.block(function.node.body)
    return frozenset(walk.dead)


def tested_names(function: FunctionInfo) -> set[str]:
    """The names read in the tests of the `if` statements of `function`."""
    found: set[str] = set()
    pending = list(function.node.body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, ast.If):
            found.update(n.id for n in ast.walk(stmt.test) if isinstance(n, ast.Name))
        for block in blocks_in(stmt):
            pending.extend(block)
    return found


class _Walk:
    """One pass over a body, collecting the calls that do not run."""

    def __init__(
        self,
        inference: Inference,
        function: FunctionInfo,
        known: Bindings,
        helper: bool,
    ) -> None:
        self.inference = inference
        self.function = function
        self.tests = BranchTests(inference, function, known)
        self.helper = helper
        self.dead: set[int] = set()

    def block(self, body: list[ast.stmt]) -> bool:
        """Walk `body`; whether it certainly leaves the function."""
        for index, stmt in enumerate(body):
            leaves, cuts = self.statement(stmt)
            if leaves or cuts:
                for rest in body[index + 1 :]:
                    self.kill(rest)
                return leaves
        return False

    def statement(self, stmt: ast.stmt) -> tuple[bool, bool]:
        """Whether `stmt` certainly leaves the function, and whether the
        rest of its block does not run for another reason."""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False, False
        if isinstance(stmt, (ast.Return, ast.Raise)):
            return True, False
        if isinstance(stmt, ast.If):
            return self.branch(stmt)
        for block in blocks_in(stmt):
            self.block(block)
        return False, False

    def branch(self, stmt: ast.If) -> tuple[bool, bool]:
        truth = self.tests.truth(stmt.test)
        if truth is True:
            self.kill(*stmt.orelse)
            return self.block(stmt.body), False
        if truth is False:
            self.kill(*stmt.body)
            return self.block(stmt.orelse), False
        if self.helper and self._tests_thread(stmt.test):
            self.kill(*stmt.body, *stmt.orelse)
            return False, False
        if self.helper and self._tests_type(stmt.test):
            self.kill(*stmt.body, *stmt.orelse)
            return False, _returns(stmt.body) or _returns(stmt.orelse)
        leaves_body = self.block(stmt.body)
        leaves_else = self.block(stmt.orelse)
        return leaves_body and leaves_else, False

    def kill(self, *stmts: ast.stmt) -> None:
        for stmt in stmts:
            self.dead.update(id(n) for n in ast.walk(stmt) if isinstance(n, ast.Call))

    # -- tests that a helper is not followed through ----------------------

    def _tests_type(self, test: ast.expr) -> bool:
        """Whether `test` dispatches on the type of a parameter, or of an
        attribute reached from one (`self.config`)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._tests_type(test.operand)
        if isinstance(test, ast.BoolOp):
            return any(self._tests_type(value) for value in test.values)
        if isinstance(test, ast.Call) and test.args and self._named(test, _TYPE_TESTS):
            return self._from_parameter(test.args[0])
        if isinstance(test, ast.Compare):
            return any(
                isinstance(side, ast.Call)
                and len(side.args) == 1
                and self._named(side, _TYPE_OF)
                and self._from_parameter(side.args[0])
                for side in [test.left, *test.comparators]
            )
        return False

    def _from_parameter(self, expr: ast.expr) -> bool:
        while isinstance(expr, ast.Attribute):
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return False
        found = self.inference.lookup(expr.id, self.function)
        return (
            found is not None
            and found[1] is self.function
            and any(isinstance(b.node, ast.arg) for b in found[0])
        )

    def _named(self, call: ast.Call, names: frozenset[str]) -> bool:
        value = self.inference.value(call.func, self.function)
        return qualname_of_value(value) in names

    def _tests_thread(self, test: ast.expr) -> bool:
        return any(
            isinstance(node, ast.Call) and self._named(node, _THREAD_TESTS)
            for node in ast.walk(test)
        )


def _returns(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return)
