"""The shared cases from real bug reports, one test each, through the real CLI.

Each folder of tests/fixtures/cases/ is a copy of /work/shared/cases/:
`input/` as the reporter had it, `expected/` after a correct `--fix`, and
`verdict.json` with the lines that must (`findings`) and must not
(`no_findings`) be reported.
"""

from __future__ import annotations

import ast
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).parent / "fixtures" / "cases"
_SKIPPED = shutil.ignore_patterns("__pycache__", ".asynclint_cache")


def _case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "verdict.json").is_file())


def _verdict(case: Path) -> dict[str, Any]:
    return json.loads((case / "verdict.json").read_text("utf-8"))


def _files(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        skipped = {"__pycache__", ".asynclint_cache"} & set(relative.parts)
        if path.is_file() and not skipped:
            files[relative.as_posix()] = path.read_bytes()
    return files


def _same(name: str, got: bytes, want: bytes) -> bool:
    """Python files compare by syntax tree, config files byte for byte."""
    if got == want:
        return True
    if name.endswith(".py"):
        try:
            return ast.dump(ast.parse(got)) == ast.dump(ast.parse(want))
        except SyntaxError:
            return False
    return False


def _differing(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    names = sorted(got.keys() | want.keys())
    return [
        n
        for n in names
        if n not in got or n not in want or not _same(n, got[n], want[n])
    ]


CASE_DIRS = _case_dirs()
Runner = Callable[..., Any]


def test_cases_copied() -> None:
    assert len(CASE_DIRS) >= 15, f"expected the shared cases under {CASES}"


@pytest.mark.parametrize("case", CASE_DIRS, ids=[c.name for c in CASE_DIRS])
def test_verdict_lines_hold_their_anchors(case: Path) -> None:
    verdict = _verdict(case)
    for entry in [*verdict["findings"], *verdict["no_findings"]]:
        lines = (case / "input" / entry["file"]).read_text("utf-8").splitlines()
        assert entry["anchor"] in lines[entry["line"] - 1], entry


@pytest.mark.parametrize("case", CASE_DIRS, ids=[c.name for c in CASE_DIRS])
def test_findings_match_verdict(case: Path, tmp_path: Path, asynclint: Runner) -> None:
    verdict = _verdict(case)
    root = tmp_path / "project"
    shutil.copytree(case / "input", root, ignore=_SKIPPED)

    run = asynclint(root)

    reported = set(run.findings)
    wanted = {(f["file"], f["line"], f["code"]) for f in verdict["findings"]}
    missing = sorted(wanted - reported)
    clean_lines = {(n["file"], n["line"]) for n in verdict["no_findings"]}
    false_flags = sorted(f for f in reported - wanted if (f[0], f[1]) in clean_lines)
    assert (missing, false_flags) == ([], []), "missing findings, false flags"


@pytest.mark.parametrize("case", CASE_DIRS, ids=[c.name for c in CASE_DIRS])
def test_fix_gives_expected_tree(case: Path, tmp_path: Path, asynclint: Runner) -> None:
    root = tmp_path / "project"
    shutil.copytree(case / "input", root, ignore=_SKIPPED)

    run = asynclint(root, "--fix")

    assert "fix not applied" not in run.stderr, run.stderr
    fixed = _files(root)
    assert _differing(fixed, _files(case / "expected")) == []
    for name, data in fixed.items():
        if name.endswith(".py"):
            ast.parse(data, filename=name)

    asynclint(root, "--fix")

    assert _files(root) == fixed, "a second --fix changed the fixed tree"
