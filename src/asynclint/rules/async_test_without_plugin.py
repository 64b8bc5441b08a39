"""ASL408: an `async def` test that no plugin runs."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class AsyncTestWithoutPlugin(Rule):
    """An `async def` test that no async test plugin runs.

    Plain pytest cannot await a test: it fails it (pytest 8.4 and later;
    earlier ones skip it with a warning), and an async fixture hands out an
    un-awaited coroutine. A plugin that runs coroutines (pytest-asyncio,
    anyio, pytest-trio, ...) must be declared, installed, required by
    another plugin, named in `pytest_plugins` or imported by the test suite,
    or a conftest must implement `pytest_pyfunc_call`. Most such plugins
    take only the tests that carry their mark (directly, on the class or in
    the module's `pytestmark`), unless a setting tells them to take all:
    pytest-asyncio's `asyncio_mode = auto` (strict is the default since
    0.19), anyio's `anyio_mode = auto` (anyio also takes a test that
    requests `anyio_backend`), pytest-trio's `trio_mode = true`. A test
    none of the present plugins takes never runs either. Methods of a class
    that derives from a `unittest` test case written in the same file are
    left alone: pytest hands them to unittest, which runs an
    `IsolatedAsyncioTestCase`'s coroutines itself (a base class from another
    module is not followed).
    """

    code: ClassVar[str] = "ASL408"
    slug: ClassVar[str] = "async-test-without-plugin"
    message: ClassVar[str] = "async {kind} '{name}' never runs: {reason}"
