"""The progress line: only on a terminal, never in CI, only for long runs."""

from __future__ import annotations

import io

import pytest

from asynclint import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_wanted_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert not progress.Progress.wanted(io.StringIO())


def test_not_wanted_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert not progress.Progress.wanted(_Terminal())


def test_wanted_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ASYNCLINT_NO_PROGRESS", raising=False)
    assert progress.Progress.wanted(_Terminal())


def test_short_runs_draw_nothing() -> None:
    stream = _Terminal()
    meter = progress.Progress(10, stream)
    for _ in range(10):
        meter.advance()
    meter.close()
    assert stream.getvalue() == ""


def test_long_runs_draw_and_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _Terminal()
    meter = progress.Progress(4, stream)
    meter.started -= 10  # as if the run had gone on for ten seconds
    meter.advance(2)
    assert "2/4 files" in stream.getvalue()
    meter.close()
    assert stream.getvalue().endswith("\r")
