"""False positives and crashes met on real async projects, kept fixed.

Each directory under tests/fixtures/regressions/ is a small project that
restates, in new code, one pattern found while checking released packages
(Home Assistant, aiohttp, anyio, asyncpg, asynch, pymongo, starlette,
tornado). A line that must be reported ends in `# error: CODE`; every other
line must stay clean, and no file may fail to be analysed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.cli import main

REGRESSIONS = Path(__file__).parent / "fixtures" / "regressions"
_MARKER = re.compile(r"#\s*error:\s*(?P<codes>ASL\d{3}(?:\s*,\s*ASL\d{3})*)\s*$")

Finding = tuple[str, int, str]

# Known gaps: the fixture states the right answer and the checker is wrong.
_GAPS: dict[str, str] = {}


def _cases() -> list[object]:
    cases = []
    for path in sorted(p for p in REGRESSIONS.iterdir() if p.is_dir()):
        marks = []
        if path.name in _GAPS:
            marks.append(pytest.mark.xfail(reason=_GAPS[path.name], strict=True))
        cases.append(pytest.param(path, id=path.name, marks=marks))
    return cases


def _expected(project: Path) -> Counter[Finding]:
    found: Counter[Finding] = Counter()
    for file in sorted(project.rglob("*.py")):
        relative = file.relative_to(project).as_posix()
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            match = _MARKER.search(line)
            if match:
                for code in match["codes"].split(","):
                    found[(relative, number, code.strip())] += 1
    return found


def _reported(project: Path) -> tuple[Counter[Finding], str]:
    argv = ["check", "--no-cache", "--jobs", "1", "--quiet", "--output-format", "json"]
    saved = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, [*argv, "."], catch_exceptions=False)
    finally:
        os.chdir(saved)
    assert result.exit_code in (0, 1), result.stderr
    found: Counter[Finding] = Counter()
    for entry in json.loads(result.stdout):
        relative = Path(entry["filename"]).resolve().relative_to(project.resolve())
        found[(relative.as_posix(), entry["location"]["row"], entry["code"])] += 1
    return found, result.stderr


@pytest.mark.parametrize("fixture", _cases())
def test_regression_project(fixture: Path, tmp_path: Path) -> None:
    # A copy outside the repository: its own config excludes tests/fixtures.
    project = tmp_path / fixture.name
    shutil.copytree(fixture, project, ignore=shutil.ignore_patterns("__pycache__"))

    reported, stderr = _reported(project)

    assert "error:" not in stderr
    assert reported == _expected(project)


def test_every_fixture_explains_its_origin() -> None:
    for file in REGRESSIONS.rglob("*.py"):
        text = file.read_text()
        if text.strip():
            assert text.startswith('"""'), (
                f"{file} needs a docstring saying where it came from"
            )
