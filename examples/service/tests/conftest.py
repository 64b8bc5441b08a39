"""Shared test doubles."""

from __future__ import annotations

import pytest


class FakeSocket:
    """Records what the server sends."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, text: str) -> None:
        self.sent.append(text)


@pytest.fixture
def socket() -> FakeSocket:
    return FakeSocket()
