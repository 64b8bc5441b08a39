"""Who may join which room."""

from __future__ import annotations

import asyncio

from eventhub.clickhouse import get_clickhouse_client

_ACL_QUERY = "SELECT 1 FROM room_acl WHERE user = %(user)s AND room = %(room)s"


async def can_join(user: str, room: str) -> bool:
    """Whether the access list lets `user` into `room`."""
    async with get_clickhouse_client() as client:
        rows = await asyncio.to_thread(
            client.execute, _ACL_QUERY, {"user": user, "room": room}
        )
    return bool(rows)
