"""ClickHouse access: one native-protocol client per unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from clickhouse_driver import Client

CLICKHOUSE_HOST = "localhost"


@asynccontextmanager
async def get_clickhouse_client(database: str = "events") -> AsyncIterator[Client]:
    """A client for one unit of work, disconnected when the block ends."""
    client = Client(host=CLICKHOUSE_HOST, database=database)
    try:
        yield client
    finally:
        await asyncio.to_thread(client.disconnect)


def fetch_rows(client: Client, query: str, params: dict[str, Any]) -> list[tuple]:
    """Run one SELECT and return its rows."""
    return client.execute(query, params)
