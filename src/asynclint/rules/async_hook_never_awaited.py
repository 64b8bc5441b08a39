"""ASL103: an `async def` hook that its framework calls without awaiting."""

from __future__ import annotations

from collections.abc import Iterator

from asynclint.context import FileContext
from asynclint.rules.base import Rule
from asynclint.summary import ClassInfo
from asynclint.types import Violation
from asynclint.values import ClassRef, qualname_of_value

_SYNC_TESTCASES = frozenset({"unittest.TestCase", "unittest.case.TestCase"})
_ASYNC_TESTCASES = frozenset(
    {"unittest.IsolatedAsyncioTestCase", "unittest.async_case.IsolatedAsyncioTestCase"}
)
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


class AsyncHookNeverAwaited(Rule):
    """An `async def` hook that a sync framework calls without awaiting.

    `unittest.TestCase` calls `setUp` and `tearDown` as plain functions: an
    `async def setUp` returns a coroutine that is thrown away, so the set-up
    never runs (use `IsolatedAsyncioTestCase` and `asyncSetUp`). pytest
    calls the xunit-style `setup_method`, `teardown_method`, `setup_class`
    and `teardown_class` of a test class the same way; async plugins run
    async fixtures and tests, not these hooks, so use an async fixture.
    No fix: the right shape depends on the suite.
    """

    code = "ASL103"
    slug = "async-hook-never-awaited"
    message = (
        "`async def {name}` is called by {framework} without `await`, "
        "so its body never runs"
    )

    def check(self, context: FileContext) -> Iterator[Violation]:
        for klass in context.module.classes:
            framework = self._framework(context, klass, 0)
            if framework is None:
                continue
            hooks = _UNITTEST_HOOKS if framework == "unittest" else _PYTEST_HOOKS
            for name in sorted(hooks & klass.methods.keys()):
                for method in klass.methods[name]:
                    if not method.is_async:
                        continue
                    node = method.node
                    yield self.violation(
                        context.path,
                        context.range(node),
                        None,
                        name=name,
                        framework="`unittest.TestCase`"
                        if framework == "unittest"
                        else "pytest",
                    )

    def _framework(
        self, context: FileContext, klass: ClassInfo, depth: int
    ) -> str | None:
        """ "unittest" for a sync TestCase, "pytest" for a pytest test class."""
        if depth > 10:
            return None
        for base in klass.node.bases:
            value = context.inference.value(base, klass.module)
            name = qualname_of_value(value)
            if name in _ASYNC_TESTCASES:
                return None
            if name in _SYNC_TESTCASES:
                return "unittest"
            if isinstance(value, ClassRef):
                inherited = self._framework(context, value.klass, depth + 1)
                if inherited is not None:
                    return inherited
        collected = depth == 0 and klass.name.startswith("Test")
        plain = not klass.node.bases and "__init__" not in klass.methods
        if collected and plain and _is_test_module(context):
            return "pytest"
        return None


def _is_test_module(context: FileContext) -> bool:
    name = context.path.name
    return name.startswith("test_") or name.endswith("_test.py")
