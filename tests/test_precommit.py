"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit.

`pre-commit try-repo` installs this repository at its committed HEAD into an
isolated environment (its dependencies come from PyPI) and runs one hook on
a small git project. Uncommitted changes to the hooks are not seen: commit
first. The environment is built once per session in a private
PRE_COMMIT_HOME, keyed by the commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

PYPROJECT = """\
[project]
name = "shop"
version = "1.0"

[tool.pytest.ini_options]
markers = [
    "integration: needs the database",
]
"""

ORDERS = """\
async def load(order_id: int) -> dict[str, int]:
    return {"id": order_id}


async def total(order_id: int) -> int:
    order = load(order_id)
    return order["id"]


async def refresh(order_id: int) -> None:
    load(order_id)
"""

TEST_ORDERS = """\
import pytest


@pytest.mark.integration
def test_total() -> None:
    assert True


@pytest.mark.nightly
def test_refresh() -> None:
    assert True
"""


def _git(cwd: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return completed.stdout.strip()


@pytest.fixture(scope="session")
def head() -> str:
    """The commit pre-commit installs asynclint from."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        return _git(REPO, "rev-parse", "HEAD")
    except subprocess.CalledProcessError:
        pytest.skip(f"{REPO} is not a git checkout")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the whole session."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A committed git project with an unawaited coroutine and a stray marker."""
    root = tmp_path / "shop"
    (root / "shop").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (root / "shop" / "orders.py").write_text(ORDERS, encoding="utf-8")
    (root / "tests" / "test_orders.py").write_text(TEST_ORDERS, encoding="utf-8")
    _git(root, "init", "--quiet")
    _git(root, "config", "user.email", "dev@example.invalid")
    _git(root, "config", "user.name", "dev")
    _git(root, "config", "commit.gpgsign", "false")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--message", "start")
    yield root


def try_repo(
    project: Path, home: Path, head: str, hook: str
) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo <this repository> <hook> --all-files` in `project`."""
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv-app-data"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
    }
    environment.pop("VIRTUAL_ENV", None)
    command = [
        sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook,
        "--ref", head, "--all-files", "--verbose",
    ]  # fmt: skip
    return subprocess.run(
        command,
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=900,
        check=False,
    )


def _shown(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def test_check_hook_reports_and_changes_nothing(
    project: Path, pre_commit_home: Path, head: str
) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}

    result = try_repo(project, pre_commit_home, head, "asynclint")

    assert result.returncode == 1, _shown(result)
    assert "asynclint" in result.stdout and "Failed" in result.stdout, _shown(result)
    assert "shop/orders.py:6:13: ASL102" in result.stdout, _shown(result)
    assert "shop/orders.py:11:5: ASL102" in result.stdout, _shown(result)
    assert "tests/test_orders.py:9:2: ASL401" in result.stdout, _shown(result)
    assert "files were modified" not in result.stdout, _shown(result)
    after = {p: p.read_bytes() for p in before}
    assert after == before
    assert _git(project, "status", "--porcelain", "--untracked-files=no") == ""


def test_fix_hook_edits_code_and_registers_the_marker(
    project: Path, pre_commit_home: Path, head: str
) -> None:
    result = try_repo(project, pre_commit_home, head, "asynclint-fix")

    # pre-commit fails a hook that changed files, so the user sees the edit.
    assert result.returncode == 1, _shown(result)
    assert "files were modified by this hook" in result.stdout, _shown(result)
    orders = (project / "shop" / "orders.py").read_text(encoding="utf-8")
    assert "    order = await load(order_id)\n" in orders
    assert "    await load(order_id)\n" in orders
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert pyproject == PYPROJECT.replace(
        '    "integration: needs the database",\n',
        '    "integration: needs the database",\n    "nightly",\n',
    )
    changed = _git(project, "diff", "--name-only").splitlines()
    assert sorted(changed) == ["pyproject.toml", "shop/orders.py"]


def test_fix_hook_passes_once_everything_is_fixed(
    project: Path, pre_commit_home: Path, head: str
) -> None:
    try_repo(project, pre_commit_home, head, "asynclint-fix")
    _git(project, "commit", "--quiet", "--all", "--message", "fixed")

    again = try_repo(project, pre_commit_home, head, "asynclint-fix")
    check = try_repo(project, pre_commit_home, head, "asynclint")

    assert again.returncode == 0, _shown(again)
    assert check.returncode == 0, _shown(check)
    assert "Passed" in check.stdout, _shown(check)
    assert _git(project, "status", "--porcelain", "--untracked-files=no") == ""
