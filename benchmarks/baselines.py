"""Reference costs for the engine: reading every file, and `ast.parse` of each.

Both run in this process, on one core, over files already in the page cache
(the timed tools have just read them), so they are what a checker written in
Python cannot go below without skipping files.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path


@dataclasses.dataclass(frozen=True, slots=True)
class Baseline:
    """Seconds to read every file, and to parse every file once read."""

    read_seconds: float
    parse_seconds: float
    syntax_errors: int
    python: str


def read_all(files: Sequence[Path]) -> tuple[float, list[bytes]]:
    """Read every file; return the seconds taken and the contents."""
    start = time.perf_counter()
    contents = [path.read_bytes() for path in files]
    return time.perf_counter() - start, contents


def parse_all(contents: Sequence[bytes]) -> tuple[float, int]:
    """Parse every source; return the seconds taken and the syntax errors."""
    errors = 0
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Old code is full of invalid escapes; the warnings are not our cost.
        warnings.simplefilter("ignore")
        for source in contents:
            try:
                ast.parse(source)
            except (SyntaxError, ValueError):
                errors += 1
    return time.perf_counter() - start, errors


def measure(files: Sequence[Path]) -> Baseline:
    """Time reading and parsing `files` once each."""
    read_seconds, contents = read_all(files)
    parse_seconds, errors = parse_all(contents)
    version = ".".join(str(part) for part in sys.version_info[:3])
    return Baseline(read_seconds, parse_seconds, errors, version)
