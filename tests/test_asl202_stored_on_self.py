"""ASL202 when the async context manager is stored on `self` and used elsewhere."""

from __future__ import annotations

from pathlib import Path

from asynclint.config import Settings
from asynclint.engine import RunOptions, run

SOURCE = '''\
from contextlib import asynccontextmanager


@asynccontextmanager
async def get_clickhouse_client():
    yield object()


class Reports:
    def __init__(self):
        self.client = get_clickhouse_client()
        self.pending = get_clickhouse_client()
        self.passed_on = get_clickhouse_client()

    async def totals(self):
        return await self.client.execute("SELECT 1")

    async def later(self):
        async with self.pending as connection:
            return connection

    async def stacked(self, stack):
        return await stack.enter_async_context(self.passed_on)
'''


def _findings(tmp_path: Path) -> list[tuple[int, str]]:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "reports.py").write_text(SOURCE)
    result = run([package / "reports.py"], Settings(root=tmp_path), RunOptions(jobs=1))
    return [(v.line, v.code) for v in result.violations]


def test_stored_then_used_as_resource_in_another_method(tmp_path: Path) -> None:
    assert (11, "ASL202") in _findings(tmp_path)


def test_stored_then_entered_or_handed_on_is_not_reported(tmp_path: Path) -> None:
    lines = {line for line, code in _findings(tmp_path) if code == "ASL202"}
    assert lines == {11}
