"""ASL408: an `async def` test that no plugin runs."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class AsyncTestWithoutPlugin(Rule):
    """An `async def` test with no async test plugin configured, so it never runs.

    Plain pytest cannot await a test: it skips it with a warning (and an
    async fixture hands out an un-awaited coroutine). A plugin that runs
    coroutines (pytest-asyncio, anyio, pytest-trio, ...) must be declared,
    installed, required by another plugin, named in `pytest_plugins` or
    imported by the test suite, or a conftest must implement
    `pytest_pyfunc_call`.
    """

    code: ClassVar[str] = "ASL408"
    slug: ClassVar[str] = "async-test-without-plugin"
    message: ClassVar[str] = (
        "async {kind} '{name}' never runs: no async test plugin is configured"
    )
