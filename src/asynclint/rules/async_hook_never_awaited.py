"""ASL103: an `async def` hook that its framework calls without awaiting."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from asynclint import decorators
from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.summary import ClassInfo, FunctionInfo
from asynclint.types import Violation
from asynclint.values import ClassRef, qualname_of_value

# unittest's test cases, by the name the message gives them. Both call the
# sync hooks plainly: `IsolatedAsyncioTestCase._callSetUp` runs `setUp` in
# a context and awaits only `asyncSetUp` (CPython 3.10 to 3.13).
_TESTCASES = {
    "unittest.TestCase": "unittest.TestCase",
    "unittest.case.TestCase": "unittest.TestCase",
    "unittest.IsolatedAsyncioTestCase": "unittest.IsolatedAsyncioTestCase",
    "unittest.async_case.IsolatedAsyncioTestCase": "unittest.IsolatedAsyncioTestCase",
}
_TESTCASE_ORDER = ("unittest.IsolatedAsyncioTestCase", "unittest.TestCase")
_UNITTEST_HOOKS = frozenset({"setUp", "tearDown", "setUpClass", "tearDownClass"})
_PYTEST_HOOKS = frozenset(
    {
        "setup_method",
        "teardown_method",
        "setup_class",
        "teardown_class",
        "setup",
        "teardown",
    }
)
# Bases that add nothing to how a class's hooks are called.
_PLAIN_BASES = frozenset({"builtins.object", "abc.ABC"})
# Methods through which a class of the hierarchy may call the hooks its own
# way (awaiting them, say): with one of them in sight nothing is known.
_CALLING_METHODS = frozenset({"_callSetUp", "_callTearDown", "run", "__getattribute__"})
# What makes pytest pass a `Test*` class over (it warns and collects nothing).
_CONSTRUCTORS = frozenset({"__init__", "__new__"})
# Class decorators that leave the hooks and their calls alone (`mock.patch`
# wraps only the methods named `test*`, CPython 3.10 to 3.13).
_CLASS_MARKS = frozenset(
    {"unittest.skip", "unittest.skipIf", "unittest.skipUnless"}
    | {"unittest.case.skip", "unittest.case.skipIf", "unittest.case.skipUnless"}
    | {"unittest.mock.patch", "unittest.mock.patch.object"}
    | {"unittest.mock.patch.dict", "unittest.mock.patch.multiple"}
)
_DEEPEST = 10


@dataclass(slots=True)
class _Hierarchy:
    """A class and everything it inherits from, as far as it resolves."""

    classes: list[ClassInfo] = field(default_factory=list)
    testcases: set[str] = field(default_factory=set)
    resolved: bool = True


class AsyncHookNeverAwaited(Rule):
    """An `async def` hook that a sync framework calls without awaiting.

    `unittest.TestCase` calls `setUp` and `tearDown` as plain functions: an
    `async def setUp` returns a coroutine that is thrown away, so the set-up
    never runs (use `IsolatedAsyncioTestCase` and `asyncSetUp`).
    `IsolatedAsyncioTestCase` awaits `asyncSetUp` and `asyncTearDown`, and
    still calls `setUp` and `tearDown` plainly. pytest calls the
    xunit-style `setup_method`, `teardown_method`, `setup_class` and
    `teardown_class` of a test class (a `Test*` class of a test module,
    with no `__init__` of its own or inherited) the same way; async
    plugins run async fixtures and tests, not these hooks, so use an async
    fixture.

    What is not known is not reported: a hook under a decorator not known
    to leave the call alone (one that runs the coroutine, such as asgiref's
    `async_to_sync`), and a class with a base that does not resolve to
    project code or unittest, a metaclass, a class decorator (other than
    a pytest mark, a unittest skip or `mock.patch`), or a class in its
    hierarchy that calls the hooks its own way (`_callSetUp`, `run`). No
    fix: the right shape depends on the suite.
    """

    code = "ASL103"
    slug = "async-hook-never-awaited"
    message = (
        "`async def {name}` is called by {framework} without `await`, "
        "so its body never runs"
    )

    def check(self, context: FileContext) -> Iterator[Violation]:
        for klass in context.module.classes:
            framework = _framework(context, klass)
            if framework is None:
                continue
            pytest = framework == "pytest"
            hooks = _PYTEST_HOOKS if pytest else _UNITTEST_HOOKS
            for name in sorted(hooks & klass.methods.keys()):
                for method in klass.methods[name]:
                    if not method.is_async or not _called_as_written(context, method):
                        continue
                    yield self.violation(
                        context.path,
                        context.range(method.node),
                        None,
                        name=name,
                        framework="pytest" if pytest else f"`{framework}`",
                    )


def _framework(context: FileContext, klass: ClassInfo) -> str | None:
    """The unittest test case that runs the class's hooks, "pytest" for a
    class pytest collects, or None when that is not known."""
    hierarchy = _Hierarchy()
    _collect(context, klass, hierarchy, 0)
    if not hierarchy.resolved:
        return None
    for member in hierarchy.classes:
        if member.node.keywords or _CALLING_METHODS & member.methods.keys():
            return None
        if not _plain_decorators(context, member):
            return None
    if hierarchy.testcases:
        # The most derived one runs the hooks: IsolatedAsyncioTestCase, if
        # it is there (it is a TestCase).
        return min(hierarchy.testcases, key=_TESTCASE_ORDER.index)
    collected = klass.name.startswith("Test") and _is_test_module(context)
    constructed = any(
        _CONSTRUCTORS & (member.methods.keys() | member.class_bindings.keys())
        for member in hierarchy.classes
    )
    return "pytest" if collected and not constructed else None


def _collect(
    context: FileContext, klass: ClassInfo, hierarchy: _Hierarchy, depth: int
) -> None:
    """Add `klass` and its bases to `hierarchy`, noting what does not resolve."""
    if depth > _DEEPEST:
        hierarchy.resolved = False
        return
    if klass in hierarchy.classes:
        return
    hierarchy.classes.append(klass)
    for base in klass.node.bases:
        value = context.inference.value(base, klass.module)
        name = qualname_of_value(value)
        if name in _TESTCASES:
            hierarchy.testcases.add(_TESTCASES[name])
        elif isinstance(value, ClassRef):
            _collect(context, value.klass, hierarchy, depth + 1)
        elif name not in _PLAIN_BASES:
            hierarchy.resolved = False


def _plain_decorators(context: FileContext, klass: ClassInfo) -> bool:
    """Whether every decorator of the class leaves its methods alone."""
    for decorator in klass.node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = qualname_of_value(context.inference.value(target, klass.module)) or ""
        if not (name.startswith("pytest.mark.") or name in _CLASS_MARKS):
            return False
    return True


def _called_as_written(context: FileContext, method: FunctionInfo) -> bool:
    """Whether calling the method runs it as its `def` says: every decorator
    is known to leave the call alone (`classmethod`, `functools.wraps`)."""
    return all(
        decorators.effect(context.inference, decorator, method) == "transparent"
        for decorator in method.node.decorator_list
    )


def _is_test_module(context: FileContext) -> bool:
    name = context.path.name
    return name.startswith("test_") or name.endswith("_test.py")
