"""Line-level text surgery that keeps line endings and the final newline."""

from __future__ import annotations

from collections.abc import Sequence


def newline_of(text: str) -> str:
    """The line ending the text already uses (LF when it has none)."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def insert_after_line(text: str, line: int, new_lines: Sequence[str]) -> str:
    """Insert whole lines after 1-based `line` (0: at the start)."""
    newline = newline_of(text)
    lines = text.splitlines(keepends=True)
    block = "".join(item + newline for item in new_lines)
    if line <= 0:
        return block + text
    head, tail = lines[:line], lines[line:]
    if head and not head[-1].endswith(("\n", "\r")):
        # The anchor was the last line and had no newline: keep it that way.
        head[-1] += newline
        block = block[: -len(newline)]
    return "".join(head) + block + "".join(tail)


def append_block(text: str, new_lines: Sequence[str]) -> str:
    """Add lines at the end, after a blank line if the text has content."""
    if not text.strip():
        return text + "".join(item + newline_of(text) for item in new_lines)
    newline = newline_of(text)
    lines = text.splitlines(keepends=True)
    separated = not lines[-1].strip()
    if not lines[-1].endswith(("\n", "\r")):
        body = newline.join(new_lines)
        return text + newline + ("" if separated else newline) + body
    block = "".join(item + newline for item in new_lines)
    return text + ("" if separated else newline) + block


def one_line(text: str) -> str:
    """`text` on one line: its lines stripped and joined by single spaces."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
