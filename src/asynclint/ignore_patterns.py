"""gitignore-style patterns: `.gitignore` lines read as git reads them, and
the patterns a user gives (excludes, per-file-ignores) checked up front.

The pathspec library compiles patterns, and rejects some lines git reads
without complaint. git skips a `!` that negates nothing and a line ending
in a lone backslash (neither can match), and reads a bracket range that
runs backwards (`[z-a]`) as matching nothing, its first character still
counting on its own. A `.gitignore` is the user's repository, not
asynclint's input, so such a line is read git's way; a pattern given to
asynclint is a mistake worth an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import pathspec

logger = logging.getLogger(__name__)

# Characters a rewritten bracket expression cannot hold as range ends:
# pathspec copies the brackets into a regular expression with backslashes
# doubled, and the others mean something at the ends of a range or a set.
_SPECIAL = frozenset("]\\-[^!/")
# A backwards range inside a range this wide is not worth spelling out.
_MAX_SPELLED = 256


def compile_patterns(patterns: Sequence[str]) -> pathspec.GitIgnoreSpec:
    """The spec of patterns known to compile (checked by `problem`)."""
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def compile_gitignore(lines: Sequence[str], source: str) -> pathspec.GitIgnoreSpec:
    """The spec of a `.gitignore`'s lines, each line read as git reads it."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        pass  # some line pathspec rejects; find it below
    kept: list[str] = []
    for number, line in enumerate(lines, start=1):
        readable = line if problem(line) is None else _git_form(line)
        if readable is None:
            why = "holds a character class" if "[:" in line else "never matches in git"
            logger.debug("%s:%d: %r skipped: it %s", source, number, line, why)
        else:
            kept.append(readable)
    return pathspec.GitIgnoreSpec.from_lines(kept)


def problem(pattern: str) -> str | None:
    """Why pathspec cannot compile `pattern`, or None when it can."""
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except re.error as error:
        return str(error.msg)
    except ValueError as error:
        text = pattern.rstrip()
        if text == "!":
            return "a '!' with nothing to negate"
        if (len(text) - len(text.rstrip("\\"))) % 2:
            return "it ends with a backslash that escapes nothing"
        return str(error)
    return None


def _git_form(line: str) -> str | None:
    """`line` with each bracket expression spelled so that pathspec reads
    it as git does, or None when git never matches the line (or a bracket
    is beyond this rewrite: a character class such as `[:alpha:]`)."""
    text = line if line.endswith("\\ ") else line.rstrip()
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            out.append(text[i : i + 2])
            i += 2
        elif char == "[":
            parsed = _bracket(text, i + 1)
            if parsed is None:
                return None
            spelled, i = parsed
            out.append(spelled)
        else:
            out.append(char)
            i += 1
    readable = "".join(out)
    return readable if problem(readable) is None else None


def _bracket(text: str, start: int) -> tuple[str, int] | None:
    """The bracket expression opening before `start`, spelled again, and
    the index past its `]`; None when git's matcher gives up on it."""
    negated = start < len(text) and text[start] in "!^"
    i = start + negated
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    previous: str | None = None
    first = True
    while True:
        if i >= len(text):
            return None  # never closed: git matches nothing
        char = text[i]
        if char == "]" and not first:
            break
        first = False
        if char == "[" and text[i + 1 : i + 2] == ":":
            return None
        if char == "\\":
            i += 1
            if i >= len(text):
                return None
            char = text[i]
        elif char == "-" and previous is not None and text[i + 1 : i + 2] not in "]":
            i += 1
            high = text[i]
            if high == "\\":
                i += 1
                if i >= len(text):
                    return None
                high = text[i]
            if previous <= high:
                ranges.append((previous, high))
            previous = None  # git: a '-' after a range is a plain '-'
            i += 1
            continue
        chars.add(char)
        previous = char
        i += 1
    spelled = _spell(chars, ranges, negated)
    return None if spelled is None else (spelled, i + 1)


def _spell(chars: set[str], ranges: list[tuple[str, str]], negated: bool) -> str | None:
    """A bracket expression pathspec turns into a regular expression
    matching exactly `chars` and `ranges` (never '/', as in git)."""
    kept: list[str] = []
    for low, high in _without_slash(ranges):
        if low in _SPECIAL or high in _SPECIAL:
            if ord(high) - ord(low) > _MAX_SPELLED:
                return None
            chars.update(map(chr, range(ord(low), ord(high) + 1)))
        else:
            kept.append(f"{low}-{high}")
    chars.discard("/")
    # A leading '!' or '^' would negate: any other member may go first, and
    # a '-' either first or last.
    body = sorted(chars - {"]", "-"}, key=lambda char: (char in "!^", char))
    inner = ("]" if "]" in chars else "") + "".join(kept) + "".join(body)
    if "-" in chars:
        inner = "-" + inner if inner[:1] in ("!", "^") else inner + "-"
    if not inner:
        return "?" if negated else None  # git never matches '/' in brackets
    if inner in ("!", "^") and not negated:
        return "\\" + inner
    if inner[0] in "!^" and not negated:
        return None  # just '!' and '^': no spelling keeps them apart
    return "[" + ("!" if negated else "") + inner + "]"


def _without_slash(ranges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`ranges` split around '/', which git never matches in brackets."""
    split: list[tuple[str, str]] = []
    for low, high in ranges:
        if low <= "/" <= high:
            split += [(low, "."), ("0", high)]
        else:
            split.append((low, high))
    return [(low, high) for low, high in split if low <= high]
