"""Room activity reports, read from ClickHouse."""

from __future__ import annotations

from datetime import date

from clickhouse_driver import Client

from eventhub.clickhouse import CLICKHOUSE_HOST, fetch_rows, get_clickhouse_client

_ACTIVITY = (
    "SELECT toStartOfHour(at) AS hour, count() FROM room_events"
    " WHERE room = %(room)s GROUP BY hour ORDER BY hour"
)
_TOP_ROOMS = (
    "SELECT room, count() AS n FROM room_events"
    " GROUP BY room ORDER BY n DESC LIMIT %(limit)s"
)
_DAY = "SELECT room, user, kind, at FROM room_events WHERE toDate(at) = %(day)s"
_ARCHIVED = "SELECT count() FROM room_events WHERE room = %(room)s"
_PURGE = "ALTER TABLE room_events DELETE WHERE room = %(room)s"

# The archive is read rarely, so it keeps one long-lived connection.
_archive = Client(host=CLICKHOUSE_HOST, database="events_archive")


async def room_activity(room: str) -> list[tuple]:
    """Events per hour in one room."""
    client = await get_clickhouse_client()
    rows = fetch_rows(client, _ACTIVITY, {"room": room})
    return rows


async def top_rooms(limit: int = 10) -> list[tuple]:
    """The busiest rooms."""
    client = get_clickhouse_client()
    return client.execute(_TOP_ROOMS, {"limit": limit})


async def archived_count(room: str) -> int:
    """How many events of `room` the archive keeps."""
    rows = _archive.execute(_ARCHIVED, {"room": room})
    return rows[0][0]


async def export_day(day: date, sink: list[tuple]) -> int:
    """Copy one day of events into `sink`; the number copied."""
    with get_clickhouse_client() as client:
        for row in client.execute_iter(_DAY, {"day": day}):
            sink.append(row)
    return len(sink)


def purge_room(room: str) -> None:
    """Delete the events of a closed room (run from a cron job)."""
    with get_clickhouse_client() as client:
        client.execute(_PURGE, {"room": room})
