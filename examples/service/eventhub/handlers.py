"""What the server does with each WebSocket message."""

from __future__ import annotations

import json

from eventhub.auth import can_join
from eventhub.registry import WebSocket, get_websocket_manager


async def handle_join(socket: WebSocket, user: str, room: str) -> None:
    """Add the socket to a room and tell the room about it."""
    registry = await get_websocket_manager()
    if not can_join(user, room):
        await socket.send(json.dumps({"error": "forbidden", "room": room}))
        return
    await registry.join(room, socket)
    await registry.broadcast(room, json.dumps({"joined": user, "room": room}))


async def handle_leave(socket: WebSocket, user: str, room: str) -> None:
    """Take the socket out of a room and tell the others."""
    registry = get_websocket_manager()
    registry.leave(room, socket)
    registry.broadcast(room, json.dumps({"left": user, "room": room}))


async def dispatch(socket: WebSocket, user: str, raw: str) -> None:
    """Route one message by its `type`."""
    message = json.loads(raw)
    if message["type"] == "join":
        await handle_join(socket, user, message["room"])
    elif message["type"] == "leave":
        await handle_leave(socket, user, message["room"])
