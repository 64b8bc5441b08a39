"""A progress line on stderr for long runs on a terminal; silent otherwise."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

_DELAY = 2.0  # seconds before anything is shown: short runs stay quiet
_EVERY = 0.2


class Progress:
    """Counts finished files and redraws one line now and then."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False

    @staticmethod
    def wanted(stream: TextIO | None = None) -> bool:
        """Only on an interactive terminal, never in CI."""
        stream = stream if stream is not None else sys.stderr
        if os.environ.get("CI") or os.environ.get("ASYNCLINT_NO_PROGRESS"):
            return False
        return stream.isatty()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.started < _DELAY or now - self.drawn_at < _EVERY:
            return
        self.drawn_at = now
        self.shown = True
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
