"""Which newer Python a syntax error's line was probably written for.

asynclint parses with the interpreter it runs on, so code written for a
newer Python (a `type` statement under 3.11) is a syntax error here. Saying
so turns a puzzling "invalid syntax" into something the user can act on.
"""

from __future__ import annotations

import re
import sys

# (pattern for the offending line, the construct, the first version with it)
_CONSTRUCTS = (
    (
        re.compile(r"^\s*type\s+[A-Za-z_]\w*\s*(\[[^\]]*\])?\s*="),
        "a type statement",
        (3, 12),
    ),
    (
        re.compile(r"^\s*(async\s+)?def\s+[A-Za-z_]\w*\s*\["),
        "type parameters on a function",
        (3, 12),
    ),
    (
        re.compile(r"^\s*class\s+[A-Za-z_]\w*\s*\["),
        "type parameters on a class",
        (3, 12),
    ),
    (re.compile(r"^\s*except\*"), "except*", (3, 11)),
    (
        re.compile(r"^\s*except\s+\w+(\.\w+)*\s*,\s*\w"),
        "several exception types without brackets",
        (3, 14),
    ),
)


def newer_python_hint(line: str) -> str | None:
    """A note naming the newer Python `line` needs, or None."""
    for pattern, construct, version in _CONSTRUCTS:
        if sys.version_info < version and pattern.search(line):
            wanted = ".".join(map(str, version))
            running = f"{sys.version_info.major}.{sys.version_info.minor}"
            return f"Python {wanted} syntax: {construct}; asynclint runs on {running}"
    return None
