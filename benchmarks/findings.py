"""Findings read off a checker's output and normalised, so runs can be compared.

asynclint's are read from its default text report (`path:line:col: CODE
message`), the one pre-commit and CI show; ruff's from its JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Finding = dict[str, Any]


class BadOutput(Exception):
    """The checker's output is not the list of findings it should be."""


_REPORT_LINE = re.compile(
    r"^(?P<file>.+?):(?P<row>\d+):(?P<column>\d+): (?P<code>[A-Z]+\d+) (?P<message>.*)$"
)


def load_report(stdout: bytes, cwd: Path, tree: Path) -> list[Finding]:
    """The findings of a text report, with filenames relative to `tree`;
    lines that are not findings (file errors) are left out."""
    root = tree.resolve()
    found: list[Finding] = []
    for line in stdout.decode("utf-8", "replace").splitlines():
        match = _REPORT_LINE.match(line)
        if match is None:
            continue
        path = (cwd / match["file"]).resolve()
        found.append(
            {
                "filename": path.relative_to(root).as_posix(),
                "code": match["code"],
                "location": {"row": int(match["row"]), "column": int(match["column"])},
                "message": match["message"],
            }
        )
    return found


def load(stdout: bytes, cwd: Path, tree: Path) -> list[Finding]:
    """Parse a JSON findings list; make each filename relative to `tree`.

    Filenames may be printed absolute or relative to the working directory;
    after this, the same file has the same name in every run.
    """
    try:
        data = json.loads(stdout or b"[]")
    except json.JSONDecodeError as error:
        raise BadOutput(f"not JSON: {error}") from None
    if not isinstance(data, list):
        raise BadOutput(f"expected a JSON list, got {type(data).__name__}")

    root = tree.resolve()
    for finding in data:
        if not isinstance(finding, dict) or "filename" not in finding:
            raise BadOutput(f"a finding without a filename: {finding!r}")
        path = (cwd / finding["filename"]).resolve()
        finding["filename"] = path.relative_to(root).as_posix()
    return data


def in_files(findings: Sequence[Finding], names: Sequence[str]) -> list[Finding]:
    """The findings that are in the named files, in their original order."""
    wanted = set(names)
    return [f for f in findings if f["filename"] in wanted]


def spread(items: Sequence[str], count: int) -> list[str]:
    """Up to `count` items taken at even intervals, so picks span the tree."""
    if len(items) <= count:
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def pick_files(
    all_files: Sequence[str], findings: Sequence[Finding], count: int
) -> list[str]:
    """Choose files for a pre-commit run: some with findings, some without."""
    flagged = sorted({f["filename"] for f in findings})
    chosen = spread(flagged, min(len(flagged), (count + 1) // 2))
    taken = set(chosen)
    rest = [name for name in all_files if name not in taken]
    chosen += spread(rest, count - len(chosen))
    return sorted(chosen)


def describe_difference(expected: Sequence[Finding], got: Sequence[Finding]) -> str:
    """One line saying how two findings lists differ, for the report."""
    missing = [f for f in expected if f not in got]
    extra = [f for f in got if f not in expected]
    if not missing and not extra:
        return f"same {len(got)} findings in a different order"
    return f"{len(missing)} missing, {len(extra)} extra of {len(expected)}"


def summary(found: Sequence[Finding]) -> str:
    """How many findings, in how many files: shows a run that checked nothing."""
    files = len({f["filename"] for f in found})
    return f"{len(found)} findings in {files} files"
