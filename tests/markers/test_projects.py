"""Data-driven fixture projects: findings, golden fixed files, idempotence.

Each folder under tests/fixtures/markers holds `input/`, `verdict.json`
and, where a fix changes files, `expected/`. Set ASYNCLINT_REGENERATE=1 to
rewrite `expected/` from the current fixer; a normal run never writes it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from harness import Finding, apply_fixes, findings, fix_until_stable, run_check

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markers"
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "verdict.json").is_file())


def _verdict(name: str) -> dict[str, object]:
    return json.loads((FIXTURES / name / "verdict.json").read_text("utf-8"))


def _copy(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input", root)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize("name", PROJECTS)
def test_findings(name: str, tmp_path: Path) -> None:
    verdict = _verdict(name)
    root = _copy(name, tmp_path)
    installed = verdict.get("installed", ())
    got = findings(root, run_check(root, installed, verdict.get("descriptions")))

    expected = {Finding(f["code"], f["file"], f["line"]) for f in verdict["findings"]}
    assert expected <= got
    if verdict.get("exact"):
        assert got == expected
    expected_lines = {(f.file, f.line, f.code) for f in expected}
    for quiet in verdict["no_findings"]:
        spot = (quiet["file"], quiet["line"])
        extra = {f for f in got if (f.file, f.line) == spot}
        assert {(f.file, f.line, f.code) for f in extra} <= expected_lines, quiet


@pytest.mark.parametrize("name", PROJECTS)
def test_fixed_tree_is_golden_and_stable(name: str, tmp_path: Path) -> None:
    verdict = _verdict(name)
    installed = verdict.get("installed", ())
    root = _copy(name, tmp_path)
    before = _files(root)
    fix_until_stable(root, installed, verdict.get("descriptions"))
    after = _files(root)

    expected_dir = FIXTURES / name / "expected"
    if os.environ.get("ASYNCLINT_REGENERATE") and after != before:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(
            root, expected_dir, ignore=shutil.ignore_patterns("__pycache__")
        )
    golden = _files(expected_dir) if expected_dir.is_dir() else before
    for relative, data in after.items():
        assert data == golden.get(relative, before.get(relative)), relative
    again = run_check(root, installed, verdict.get("descriptions"))
    assert not apply_fixes(again, root), "fixing again changed files"
