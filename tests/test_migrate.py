"""`asynclint migrate`: each direction on a small monorepo, against golden diffs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "migrate"
CASES = [
    ("now-sync", "dbkit.pool.get_connection", 0),
    ("now-async", "dbkit.pool.warm_cache", 1),
    ("now-async-cm", "dbkit.pool.open_session", 0),
]


def _asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    target = tmp_path / "monorepo"
    shutil.copytree(FIXTURES / "monorepo", target)
    return target


@pytest.mark.parametrize(("direction", "name", "status"), CASES)
def test_diff_matches_golden(
    monorepo: Path, direction: str, name: str, status: int, request: pytest.FixtureRequest
) -> None:
    result = _asynclint("migrate", f"--{direction}", name, ".", cwd=monorepo)
    golden = FIXTURES / f"{direction}.diff"
    golden_err = FIXTURES / f"{direction}.stderr"
    if request.config.getoption("--update-golden", default=False):
        golden.write_text(result.stdout)
        golden_err.write_text(result.stderr)
    assert result.returncode == status, result.stderr
    assert result.stdout == golden.read_text()
    assert result.stderr == golden_err.read_text()
    assert not (monorepo / ".asynclint_cache").exists()


@pytest.mark.parametrize(("direction", "name", "status"), CASES)
def test_write_applies_the_diff_and_converges(
    monorepo: Path, direction: str, name: str, status: int
) -> None:
    before = (monorepo / "services/billing/billing/jobs.py").read_text()
    written = _asynclint("migrate", f"--{direction}", name, "--write", ".", cwd=monorepo)
    assert written.returncode == status, written.stderr
    after = (monorepo / "services/billing/billing/jobs.py").read_text()
    assert after != before
    again = _asynclint("migrate", f"--{direction}", name, ".", cwd=monorepo)
    assert again.stdout == ""


def test_exactly_one_direction_is_required(monorepo: Path) -> None:
    result = _asynclint("migrate", ".", cwd=monorepo)
    assert result.returncode == 2
    assert "exactly one of" in result.stderr


def test_now_async_climbs_the_call_graph(monorepo: Path) -> None:
    result = _asynclint("migrate", "--now-async", "dbkit.pool.warm_cache", ".", cwd=monorepo)
    assert "+async def refresh(keys):" in result.stdout
    assert "+    return await refresh(keys)" in result.stdout
    assert "made async (its callers were migrated too): billing.jobs.refresh" in result.stderr
    # A function used as a value stays sync and is listed for the user.
    assert "-def on_start" not in result.stdout
    assert "billing/hooks.py:5:5: ASL102 not changed automatically" in result.stderr
