"""The connection registry."""

from __future__ import annotations

import asyncio
import unittest

import pytest

from eventhub.registry import ConnectionRegistry
from tests.conftest import FakeSocket


class RegistryTest(unittest.TestCase):
    async def setUp(self) -> None:
        self.registry = ConnectionRegistry()
        self.socket = FakeSocket()
        await self.registry.join("lobby", self.socket)

    def test_leave_forgets_the_socket(self) -> None:
        self.registry.leave("lobby", self.socket)
        self.assertEqual(self.registry.members("lobby"), 0)


@pytest.mark.asyncio
async def test_broadcast_reaches_every_member(socket: FakeSocket) -> None:
    registry = ConnectionRegistry()
    await registry.join("lobby", socket)
    assert await registry.broadcast("lobby", "hello") == 1
    assert socket.sent == ["hello"]


@pytest.mark.scalability
@pytest.mark.parametrise("count", [10, 1_000])
def test_broadcast_to_many_sockets(count: int) -> None:
    registry = ConnectionRegistry()
    sockets = [FakeSocket() for _ in range(count)]
    for each in sockets:
        asyncio.run(registry.join("lobby", each))
    assert asyncio.run(registry.broadcast("lobby", "ping")) == count
