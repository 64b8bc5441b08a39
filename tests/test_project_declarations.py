"""Declarations about the project's own definitions, where they meet its code.

The common cases are rule fixtures (ASL301/declared_project_functions,
ASL203/declared_project_factories and their `no_` counterparts); these are
the contradictions between a declaration and the code it names, each with
the answer the README gives.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Runner = Callable[..., Any]

HEAD = '[project]\nname = "app"\nversion = "0"\n\n[tool.asynclint]\n'


def _check(
    asynclint: Runner, tmp_path: Path, config: str, files: dict[str, str]
) -> Any:
    (tmp_path / "pyproject.toml").write_text(HEAD + config)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return asynclint(tmp_path)


ASYNC_DECLARED_BLOCKING = {
    "app/__init__.py": "",
    "app/db.py": "async def run_query(sql):\n    return sql\n",
    "app/views.py": (
        "from app.db import run_query\n\n\n"
        "async def view():\n    return await run_query('SELECT 1')\n"
    ),
}


def test_an_async_def_declared_blocking_is_not_a_blocking_call(
    tmp_path: Path, asynclint: Runner
) -> None:
    config = 'blocking-calls = ["app.db.run_query"]\n'

    run = _check(asynclint, tmp_path, config, ASYNC_DECLARED_BLOCKING)

    assert [f for f in run.findings if f[2] == "ASL301"] == []


def test_an_async_def_declared_blocking_is_still_awaitable(
    tmp_path: Path, asynclint: Runner
) -> None:
    config = 'blocking-calls = ["app.db.run_query"]\n'

    run = _check(asynclint, tmp_path, config, ASYNC_DECLARED_BLOCKING)

    assert list(run.findings) == []


def test_a_declared_factory_that_is_already_an_async_cm_is_entered_fine(
    tmp_path: Path, asynclint: Runner
) -> None:
    files = {
        "app/__init__.py": "",
        "app/db.py": (
            "from contextlib import asynccontextmanager\n\n\n"
            "@asynccontextmanager\nasync def session():\n    yield 1\n"
        ),
        "app/views.py": (
            "from app.db import session\n\n\n"
            "async def view():\n"
            "    async with session():\n        pass\n"
            "    with session():\n        pass\n"
        ),
    }
    config = 'async-context-managers = ["app.db.session"]\n'

    run = _check(asynclint, tmp_path, config, files)

    assert sorted(run.findings) == [("app/views.py", 7, "ASL203")]


REDUNDANT_FACTORY = {
    "app/__init__.py": "",
    "app/db.py": (
        "from collections.abc import AsyncIterator\n"
        "from contextlib import asynccontextmanager\n\n"
        "from clickhouse_driver import Client\n\n\n"
        "@asynccontextmanager\n"
        "async def connect() -> AsyncIterator[Client]:\n"
        "    yield Client('localhost')\n"
    ),
    "app/views.py": (
        "from app.db import connect\n\n\n"
        "async def view():\n"
        "    async with connect() as client:\n"
        "        return client.execute('SELECT 1')\n"
    ),
}


def test_without_the_declaration_the_entered_client_is_known(
    tmp_path: Path, asynclint: Runner
) -> None:
    run = _check(asynclint, tmp_path, "", REDUNDANT_FACTORY)

    assert sorted(run.findings) == [("app/views.py", 6, "ASL301")]


def test_a_redundant_declaration_keeps_the_entered_client(
    tmp_path: Path, asynclint: Runner
) -> None:
    config = 'async-context-managers = ["app.db.connect"]\n'

    run = _check(asynclint, tmp_path, config, REDUNDANT_FACTORY)

    assert sorted(run.findings) == [("app/views.py", 6, "ASL301")]


def test_a_nested_def_does_not_take_a_declaration_of_its_name(
    tmp_path: Path, asynclint: Runner
) -> None:
    files = {
        "app/__init__.py": "",
        "app/db.py": (
            "from contextlib import contextmanager\n\n\n"
            "def session():\n    return object()\n\n\n"
            "async def jobs():\n"
            "    @contextmanager\n    def session():\n        yield 1\n\n"
            "    with session():\n        pass\n"
        ),
    }
    config = 'async-context-managers = ["app.db.session"]\n'

    run = _check(asynclint, tmp_path, config, files)

    assert list(run.findings) == []


PROJECT_CLASS = {
    "app/__init__.py": "",
    "app/db.py": ("import _db_ext\n\n\nclass Session(_db_ext.Base):\n    pass\n"),
    "app/views.py": (
        "from app.db import Session\n\n\n"
        "async def view():\n    with Session():\n        pass\n"
    ),
}


def test_a_project_class_declared_async_cm_is_entered_with_async_with(
    tmp_path: Path, asynclint: Runner
) -> None:
    config = 'async-context-managers = ["app.db.Session"]\n'

    run = _check(asynclint, tmp_path, config, PROJECT_CLASS)

    assert sorted(run.findings) == [("app/views.py", 5, "ASL203")]


def test_a_project_class_declared_blocking_blocks_when_constructed(
    tmp_path: Path, asynclint: Runner
) -> None:
    config = 'blocking-calls = ["app.db.Session"]\n'

    run = _check(asynclint, tmp_path, config, PROJECT_CLASS)

    assert sorted(run.findings) == [("app/views.py", 5, "ASL301")]
