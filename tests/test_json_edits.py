"""The edits in `--output-format json` reproduce what `--fix` writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

CASES = Path(__file__).resolve().parents[2] / "shared" / "cases"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", "--no-cache", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def _apply(text: str, edit: dict[str, object]) -> str:
    lines = text.split("\n")
    start, end = edit["location"], edit["end_location"]
    assert isinstance(start, dict) and isinstance(end, dict)

    def offset(row: int, column: int) -> int:
        return sum(len(line) + 1 for line in lines[: row - 1]) + column - 1

    first = offset(start["row"], start["column"])
    last = offset(end["row"], end["column"])
    return text[:first] + str(edit["content"]) + text[last:]


def test_single_edit_matches_fix(tmp_path: Path) -> None:
    project = tmp_path / "p"
    package = project / "echo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "server.py").write_text(
        "import asyncio\n\n\n"
        "async def handle(reader, writer: asyncio.StreamWriter):\n"
        "    writer.write(b'x')\n"
        "    await writer.write(b'y')\n"
    )
    report = json.loads(_run("--output-format", "json", ".", cwd=project).stdout)
    assert [entry["code"] for entry in report] == ["ASL101"]
    (edit,) = report[0]["fix"]["edits"]
    original = (package / "server.py").read_text()
    expected = _apply(original, edit)
    shutil.copytree(project, tmp_path / "fixed")
    _run("--fix", ".", cwd=tmp_path / "fixed")
    assert (tmp_path / "fixed/echo/server.py").read_text() == expected


def test_block_rewrites_list_no_edits_in_a_plain_check(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "jobs.py").write_text(
        "import time\n\n\nasync def job():\n    time.sleep(1)\n"
    )
    report = json.loads(_run("--output-format", "json", ".", cwd=project).stdout)
    assert [entry["code"] for entry in report] == ["ASL301"]
    assert report[0]["fix"]["applicability"] == "unsafe"
    assert report[0]["fix"]["edits"] == []
