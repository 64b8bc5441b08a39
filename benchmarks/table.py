"""The benchmark's result rows and their Markdown table."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

HEADER = ("what", "seconds", "ratio to ruff cold", "target", "pass/fail", "peak MiB")


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One line of the results: a timed run or a check, with its target."""

    what: str
    target: str
    passed: bool | None = None
    seconds: float | None = None
    ratio: float | None = None
    peak_mib: float | None = None


def verdict(passed: bool | None) -> str:
    """PASS, FAIL, or a dash for a row that has no target."""
    if passed is None:
        return "-"
    return "PASS" if passed else "FAIL"


def number(value: float | None, digits: int) -> str:
    """A number with fixed decimals, or a dash when there is none."""
    return "-" if value is None else f"{value:.{digits}f}"


def render(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table, header included."""
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    for row in rows:
        cells = (
            row.what,
            number(row.seconds, 3),
            number(row.ratio, 2),
            row.target,
            verdict(row.passed),
            number(row.peak_mib, 0),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
