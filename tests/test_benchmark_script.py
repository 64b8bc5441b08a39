"""benchmarks/run.py keeps working: a quick run against a fake asynclint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"

# Stands in for `asynclint check`: reports every `time.sleep(` call in its
# text report. FAKE_JOBS_BUG makes `--jobs 1` lose a finding, as a racy engine would.
FAKE_ASYNCLINT = """\
import os, pathlib, sys

assert sys.argv[1] == "check", sys.argv
args, paths, jobs = sys.argv[2:], [], "2"
while args:
    arg = args.pop(0)
    if arg in ("--jobs", "--cache-dir", "--output-format"):
        value = args.pop(0)
        jobs = value if arg == "--jobs" else jobs
    elif not arg.startswith("--"):
        paths.append(pathlib.Path(arg))
files = sorted(
    f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py"))
)
found = [
    f"{f}:{n}:{line.index('time') + 1}: ASL200 sleeps"
    for f in files
    for n, line in enumerate(f.read_text().splitlines(), 1)
    if "time.sleep(" in line
]
if jobs == "1" and os.environ.get("FAKE_JOBS_BUG"):
    found.pop()
for line in found:
    print(line)
sys.exit(1 if found else 0)
"""

SLEEPY = """\
import time


async def nap(timeout):
    time.sleep(timeout)
"""


def make_tree(root: Path) -> Path:
    """A small package: some files with findings, most without."""
    tree = root / "tree"
    for index in range(8):
        module = tree / f"pkg{index % 2}" / f"mod{index}.py"
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(SLEEPY if index % 3 == 0 else f"VALUE = {index}\n")
    return tree


def make_fake(root: Path) -> Path:
    """Write the fake asynclint as an executable script."""
    fake = root / "asynclint"
    fake.write_text(f"#!{sys.executable}\n" + FAKE_ASYNCLINT)
    fake.chmod(0o755)
    return fake


def run_benchmark(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run run.py --quick on the tiny tree with the fake; return the process."""
    command = [
        sys.executable,
        str(RUN_PY),
        "--quick",
        "--corpus",
        str(make_tree(tmp_path)),
        "--asynclint",
        str(make_fake(tmp_path)),
        "--output",
        str(tmp_path / "latest.md"),
    ]
    return subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def row(table: str, start: str) -> list[str]:
    """The cells of the table row whose first cell starts with `start`."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0].startswith(start):
            return cells
    raise AssertionError(f"no row starting {start!r} in:\n{table}")


def test_quick_run_measures_every_scenario(tmp_path: Path) -> None:
    result = run_benchmark(tmp_path)

    # Timing targets may be missed by a Python fake; the checks may not.
    assert result.returncode in (0, 1), result.stderr
    table = (tmp_path / "latest.md").read_text()
    assert table == result.stdout
    for what in ("ruff cold", "asynclint cold", "asynclint warm", "asynclint `--fix"):
        assert float(row(table, what)[1]) > 0
    assert float(row(table, "asynclint cold, `--jobs 2 --select ASL4`")[1]) > 0
    assert row(table, "asynclint pre-commit, 5 files")[4] in ("PASS", "FAIL")
    assert row(table, "findings: `--jobs 1`")[3:5] == ["identical (3 findings)", "PASS"]
    assert row(table, "findings: warm = cold")[4] == "PASS"
    assert row(table, "findings: pre-commit")[4] == "PASS"
    assert row(table, "asynclint pre-commit, 5 files edited")[4] in ("PASS", "FAIL")
    assert row(table, "findings: edited pre-commit")[4] == "PASS"
    assert float(row(table, "peak memory")[5]) > 0
    assert (
        "- findings: ruff 6 findings in 3 files, asynclint 3 findings in 3 files\n"
        in table
    )


def test_findings_that_depend_on_jobs_fail_the_run(tmp_path: Path) -> None:
    result = run_benchmark(tmp_path, FAKE_JOBS_BUG="1")

    assert result.returncode == 1, result.stderr
    cells = row(result.stdout, "findings: `--jobs 1`")
    assert cells[3:5] == ["identical (1 missing, 0 extra of 3)", "FAIL"]


@pytest.mark.parametrize("option", ["--repeat=0", "--corpus=/nonexistent"])
def test_bad_options_are_usage_errors(tmp_path: Path, option: str) -> None:
    command = [sys.executable, str(RUN_PY), option, "--asynclint", sys.executable]
    result = subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=30
    )

    assert result.returncode == 2
    assert "usage:" in result.stderr
