"""Reports with realistic violations and errors, shared by the format tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from asynclint import rules
from asynclint.output import Report, TextEdit
from asynclint.rules.base import Rule
from asynclint.rules.unused_suppression import UnusedSuppression
from asynclint.types import (
    Applicability,
    CodePosition,
    CodeRange,
    FileError,
    Fix,
    OffloadToThread,
    RemoveAwait,
    Violation,
)


class AwaitNotAwaitable(Rule):
    """`await` on a call that returns no awaitable.

    The awaited function is a plain `def`, so awaiting its result raises.
    """

    code = "ASL101"
    slug = "await-not-awaitable"
    message = "`{name}` returns no awaitable"


class BlockingCall(Rule):
    """A blocking call inside `async def`."""

    code = "ASL301"
    slug = "blocking-call-in-async"
    message = "Blocking call `{name}` in async function"


FAKE_RULES = (UnusedSuppression, AwaitNotAwaitable, BlockingCall)


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> tuple[type[Rule], ...]:
    """Replace rule discovery by a known set, whatever rules the tree holds."""
    monkeypatch.setattr(rules, "all_rules", lambda: FAKE_RULES)
    return FAKE_RULES


def span(line: int, start: int, end_line: int, end: int) -> CodeRange:
    """A range from 1-based lines and 0-based columns."""
    return CodeRange(CodePosition(line, start), CodePosition(end_line, end))


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    """The working directory of the run."""
    directory = tmp_path / "projekt"
    directory.mkdir()
    return directory


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file that lies outside the working directory."""
    return tmp_path / "elsewhere" / "vendor.py"


@pytest.fixture
def awaited(cwd: Path) -> Violation:
    """A violation with a safe fix whose edits are known."""
    where = span(3, 4, 3, 17)
    fix = Fix(Applicability.SAFE, "Remove `await`", RemoveAwait(where))
    return Violation(
        cwd / "src" / "ünïcode" / "app.py",
        where,
        "ASL101",
        "`fetch` returns no awaitable: 50% of calls, a:b, c",
        fix,
    )


@pytest.fixture
def blocking(cwd: Path) -> Violation:
    """A violation with an unsafe fix, spanning two lines."""
    where = span(10, 8, 11, 3)
    fix = Fix(
        Applicability.UNSAFE,
        "Run `time.sleep` in a thread",
        OffloadToThread(where),
        needs_import="asyncio",
    )
    return Violation(
        cwd / "src" / "ünïcode" / "app.py",
        where,
        "ASL301",
        "Blocking call `time.sleep` in async function — use `asyncio.sleep`",
        fix,
    )


@pytest.fixture
def odd_name(cwd: Path) -> Violation:
    """A violation in a file whose name holds `,`, `:`, `%` and a space."""
    return Violation(
        cwd / "weird, 100%: name.py", span(1, 0, 1, 5), "ASL101", "`x` returns 0%"
    )


@pytest.fixture
def foreign(outside: Path) -> Violation:
    """A violation outside the working directory, of a code with no rule."""
    return Violation(outside, span(7, 2, 7, 9), "ASL999", "unknown rule, no fix")


@pytest.fixture
def errors(cwd: Path) -> list[FileError]:
    """A syntax error with a place and a decoding error without one."""
    return [
        FileError(cwd / "broken.py", "syntax error: invalid syntax", 2, 5),
        FileError(cwd / "binary.py", "cannot decode as UTF-8: invalid start byte"),
    ]


@pytest.fixture
def make_report(
    cwd: Path,
    awaited: Violation,
    blocking: Violation,
    odd_name: Violation,
    foreign: Violation,
    errors: list[FileError],
) -> Callable[..., Report]:
    """Build the full report, with any field overridden."""
    violations = sorted([awaited, blocking, odd_name, foreign], key=Violation.sort_key)
    edits = {awaited: [TextEdit(CodePosition(3, 4), CodePosition(3, 10), "")]}

    def build(**overrides: object) -> Report:
        fields: dict[str, object] = {
            "violations": violations,
            "errors": errors,
            "edits": edits,
            "cwd": cwd,
        }
        fields.update(overrides)
        return Report(**fields)  # type: ignore[arg-type]

    return build
