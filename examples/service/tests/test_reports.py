"""Reports against a real ClickHouse server."""

from __future__ import annotations

import pytest

from eventhub.reports import room_activity, top_rooms


@pytest.mark.integration
@pytest.mark.asyncio
async def test_top_rooms_are_sorted() -> None:
    rooms = await top_rooms(limit=3)
    counts = [count for _, count in rooms]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.integration
@pytest.mark.asyncio
async def test_activity_of_an_empty_room() -> None:
    assert await room_activity("no-such-room") == []
