"""Open WebSocket connections, grouped by room."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Protocol


class WebSocket(Protocol):
    """The part of a server-side WebSocket connection the registry uses."""

    async def send(self, text: str) -> None: ...


class ConnectionRegistry:
    """Sockets by room, shared by every handler of the process."""

    def __init__(self) -> None:
        self._rooms: dict[str, set[WebSocket]] = defaultdict(set)
        self._lock = threading.Lock()

    async def join(self, room: str, socket: WebSocket) -> None:
        async with self._lock:
            self._rooms[room].add(socket)

    def leave(self, room: str, socket: WebSocket) -> None:
        with self._lock:
            self._rooms[room].discard(socket)

    def members(self, room: str) -> int:
        with self._lock:
            return len(self._rooms[room])

    async def broadcast(self, room: str, text: str) -> int:
        with self._lock:
            sockets = list(self._rooms[room])
        for socket in sockets:
            await socket.send(text)
        return len(sockets)


_registry: ConnectionRegistry | None = None


def get_websocket_manager() -> ConnectionRegistry:
    """The registry of this process, created on first use."""
    global _registry
    if _registry is None:
        _registry = ConnectionRegistry()
    return _registry
