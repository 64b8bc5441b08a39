"""Deciding the test of a branch for one call of the function holding it.

A test is decided when it reads only constants (a literal,
`TYPE_CHECKING`, a module constant) and parameters that the call binds to
a literal or to an object of a known class: `if local_mode:`, `if not
path:`, `if fp is None:`, `if retries > 0:`, `if isinstance(fp, str):`,
and `and`/`or`/`not` of such parts. Anything else is undecided.
"""

from __future__ import annotations

import ast

from asynclint.call_literals import Bindings, Known, Literal, argument_known
from asynclint.infer import Inference, Scope
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.values import (
    ClassRef,
    DeclaredInstance,
    Instance,
    LibraryClass,
    LibraryInstance,
    Value,
    qualname_of_value,
)

_NEVER_TRUE = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})
_NONE = Literal("NoneType", None)
# The classes a literal of each kind is an instance of.
_LITERAL_CLASSES = {
    "bool": {"builtins.bool", "builtins.int", "builtins.object"},
    "int": {"builtins.int", "builtins.object"},
    "float": {"builtins.float", "builtins.object"},
    "str": {"builtins.str", "builtins.object"},
    "bytes": {"builtins.bytes", "builtins.object"},
    "NoneType": {"types.NoneType", "builtins.object"},
}
# Classes no literal is an instance of, unless `_LITERAL_CLASSES` says so
# (abstract classes such as `collections.abc.Sequence` stay undecided).
_NOT_LITERAL_CLASSES = frozenset(
    {
        "builtins.bool", "builtins.int", "builtins.float", "builtins.complex",
        "builtins.str", "builtins.bytes", "builtins.bytearray", "builtins.dict",
        "builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset",
        "builtins.memoryview", "os.PathLike", "types.NoneType",
    }
)  # fmt: skip
_NOT_LITERAL_MODULES = ("io.", "pathlib.")


class BranchTests:
    """Decides tests written in `function`, whose parameters `known` binds."""

    def __init__(
        self, inference: Inference, function: FunctionInfo, known: Bindings
    ) -> None:
        self.inference = inference
        self.function = function
        self.known = known

    def truth(self, test: ast.expr) -> bool | None:
        """True or False when the test is decided for this call."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.truth(test.operand)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            parts = [self.truth(value) for value in test.values]
            decisive = isinstance(test.op, ast.Or)
            if decisive in parts:
                return decisive
            return (not decisive) if None not in parts else None
        if isinstance(test, ast.Compare):
            return self._compare(test)
        if isinstance(test, ast.Call):
            return self._isinstance(test)
        held = self._held(test)
        if isinstance(held, Literal):
            return held.truth
        return constant_truth(self.inference, test, self.function)

    def _held(self, expr: ast.expr) -> Known | None:
        return argument_known(self.inference, expr, self.function, self.known)

    def _compare(self, test: ast.Compare) -> bool | None:
        if len(test.ops) != 1:
            return None
        op = test.ops[0]
        left, right = self._held(test.left), self._held(test.comparators[0])
        if left is None or right is None:
            return None
        if isinstance(op, (ast.Is, ast.IsNot)):
            same = _same_object(left, right)
            if same is None:
                return None
            return same if isinstance(op, ast.Is) else not same
        if not isinstance(left, Literal) or not isinstance(right, Literal):
            return None
        if left.is_text or right.is_text:
            return None  # only whether a string is empty is kept
        return _ordered(op, left.value, right.value)

    def _isinstance(self, call: ast.Call) -> bool | None:
        if len(call.args) != 2 or call.keywords:
            return None
        callee = self.inference.value(call.func, self.function)
        if qualname_of_value(callee) != "builtins.isinstance":
            return None
        held = self._held(call.args[0])
        if held is None:
            return None
        given = call.args[1]
        classes = given.elts if isinstance(given, ast.Tuple) else [given]
        answers = [self._is_instance(held, c) for c in classes]
        if True in answers:
            return True
        return False if all(a is False for a in answers) else None

    def _is_instance(self, held: Known, expr: ast.expr) -> bool | None:
        klass = self.inference.value(expr, self.function)
        name = qualname_of_value(klass)
        if isinstance(held, Literal):
            if name in _LITERAL_CLASSES[held.kind]:
                return True
            if isinstance(klass, ClassRef) or name in _NOT_LITERAL_CLASSES:
                return False
            if name is not None and name.startswith(_NOT_LITERAL_MODULES):
                return False
            return None
        # An object is of its class or of a subclass: only a class it is
        # known to have decides.
        return True if name in self._classes_of(held) else None

    def _classes_of(self, value: Value) -> set[str]:
        names: set[str] = set()
        pending: list[str] = []
        if isinstance(value, Instance):
            for entry in self.inference.mro(value.klass) or []:
                if isinstance(entry, ClassInfo):
                    names.add(entry.qualname)
                elif isinstance(entry, LibraryClass):
                    pending.append(entry.spec.qualname)
        elif isinstance(value, LibraryInstance):
            pending.append(value.spec.qualname)
        elif isinstance(value, DeclaredInstance):
            names.add(value.qualname)
        while pending:
            name = pending.pop()
            if name not in names:
                names.add(name)
                spec = self.inference.library.class_(name)
                pending.extend(spec.bases if spec is not None else ())
        return names


def _same_object(left: Known, right: Known) -> bool | None:
    """Whether `left is right`, decided only against None."""
    if left != _NONE and right != _NONE:
        return None
    other = right if left == _NONE else left
    if isinstance(other, Literal):
        return other == _NONE
    return False  # an object of a known class is not None


def _ordered(op: ast.cmpop, left: object, right: object) -> bool | None:
    """`left op right` for two numbers, bools or Nones; None if it raises."""
    try:
        if isinstance(op, ast.Eq):
            return bool(left == right)
        if isinstance(op, ast.NotEq):
            return bool(left != right)
        if isinstance(op, ast.Lt):
            return bool(left < right)  # type: ignore[operator]
        if isinstance(op, ast.LtE):
            return bool(left <= right)  # type: ignore[operator]
        if isinstance(op, ast.Gt):
            return bool(left > right)  # type: ignore[operator]
        if isinstance(op, ast.GtE):
            return bool(left >= right)  # type: ignore[operator]
    except TypeError:
        return None
    return None


def constant_truth(inference: Inference, test: ast.expr, scope: Scope) -> bool | None:
    """True or False when `test` is a constant: a literal, `TYPE_CHECKING`, or
    a name bound once, to a literal, in the module that defines it."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = constant_truth(inference, test.operand, scope)
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
