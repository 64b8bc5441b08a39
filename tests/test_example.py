"""The bundled example project, end to end through the real command line.

The golden files in tests/fixtures/example/ are what a user sees:
`check.txt` (the findings of a first run), `after_fix.txt` (what is left
after `--fix`), `fixed/` (the tree `--fix` leaves) and `unsafe.diff`
(`--diff --unsafe-fixes`). `pytest --update-golden` rewrites them from the
current output; a normal run only compares.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "service"
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "example"

# Trees compare without what a run may leave behind besides the fixes.
_IGNORED_NAMES = {
    "__pycache__", ".asynclint_cache", ".pytest_cache", ".ruff_cache", ".mypy_cache",
}  # fmt: skip
_IGNORED = shutil.ignore_patterns(*_IGNORED_NAMES)

# Every rule the example is built to show, each at least once.
SHOWN_RULES = {
    "ASL101", "ASL102", "ASL103", "ASL201", "ASL202",
    "ASL203", "ASL204", "ASL301", "ASL401", "ASL402",
}  # fmt: skip


def asynclint(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in `cwd`, as a user would."""
    environment = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "asynclint", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of examples/service."""
    target = tmp_path / "service"
    shutil.copytree(EXAMPLE, target, ignore=_IGNORED)
    return target


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the golden files instead of comparing."""
    return bool(request.config.getoption("--update-golden", default=False))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not _IGNORED_NAMES & set(path.parts):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def compare_text(actual: str, golden: Path, update: bool) -> None:
    """Assert `actual` equals the golden file, or rewrite it when updating."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="")
        return
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden"
    expected = golden.read_text(encoding="utf-8")
    assert actual.splitlines() == expected.splitlines()
    assert actual == expected


def compare_tree(actual: Path, golden: Path, update: bool) -> None:
    """Assert two trees hold the same files byte for byte (or rewrite)."""
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(actual, golden, ignore=_IGNORED)
        return
    have, want = tree(actual), tree(golden)
    assert sorted(have) == sorted(want)
    for name in want:
        assert have[name] == want[name], f"{name} differs from {golden / name}"


def codes(report: str) -> set[str]:
    """The rule codes of a text report, one finding a line."""
    return {line.split(": ", 1)[1].split(" ", 1)[0] for line in report.splitlines()}


def test_check_reports_every_planted_fault(project: Path, update_golden: bool) -> None:
    result = asynclint(project, "--no-cache", ".")

    assert result.returncode == 1, result.stderr
    assert codes(result.stdout) >= SHOWN_RULES
    assert "Traceback" not in result.stderr
    compare_text(result.stdout, GOLDEN / "check.txt", update_golden)


def test_fix_repairs_what_has_a_safe_fix(project: Path, update_golden: bool) -> None:
    before = tree(project)

    fixed = asynclint(project, "--fix", ".")
    again = asynclint(project, ".")

    assert fixed.returncode == 1, fixed.stderr
    assert "fix not applied" not in fixed.stderr
    assert again.returncode == 1, again.stderr
    assert again.stdout == fixed.stdout
    assert tree(project) != before
    compare_text(again.stdout, GOLDEN / "after_fix.txt", update_golden)
    compare_tree(project, GOLDEN / "fixed", update_golden)


def test_what_remains_after_fix_has_no_safe_fix(project: Path) -> None:
    asynclint(project, "--no-cache", "--fix", ".")

    result = asynclint(project, "--no-cache", "--output-format", "json", ".")

    assert result.returncode == 1
    assert '"applicability": "safe"' not in result.stdout


def test_fixing_the_fixed_tree_changes_nothing(project: Path) -> None:
    asynclint(project, "--no-cache", "--fix", ".")
    fixed = tree(project)

    result = asynclint(project, "--no-cache", "--fix", "--exit-non-zero-on-fix", ".")

    assert tree(project) == fixed
    assert result.returncode == 1  # findings without a safe fix remain
    assert "Fixed" not in result.stderr


def test_unsafe_diff_shows_every_fix_and_writes_nothing(
    project: Path, update_golden: bool
) -> None:
    before = tree(project)

    result = asynclint(project, "--no-cache", "--diff", "--unsafe-fixes", ".")

    assert result.returncode == 1, result.stderr
    assert tree(project) == before
    assert "asyncio.to_thread(_archive.execute" in result.stdout
    compare_text(result.stdout, GOLDEN / "unsafe.diff", update_golden)


def test_diff_equals_what_fix_writes(project: Path, tmp_path: Path) -> None:
    diff = asynclint(project, "--no-cache", "--diff", ".").stdout
    asynclint(project, "--no-cache", "--fix", ".")
    original = tmp_path / "original"
    shutil.copytree(EXAMPLE, original, ignore=_IGNORED)

    untouched = tree(original)
    changed = {n for n, data in tree(project).items() if untouched.get(n) != data}

    shown = {
        line.removeprefix("+++ b/")
        for line in diff.splitlines()
        if line.startswith("+++ b/")
    }
    assert shown == changed


def test_example_runs_from_the_repository_root() -> None:
    result = asynclint(REPO, "--no-cache", "examples/service")

    assert result.returncode == 1, result.stderr
    assert codes(result.stdout) >= SHOWN_RULES
    assert all(
        line.startswith("examples/service/") for line in result.stdout.splitlines()
    )


def test_blocking_call_inside_the_entered_client_is_found(project: Path) -> None:
    asynclint(project, "--no-cache", "--fix", ".")

    result = asynclint(project, "--no-cache", ".")

    reports = project / "eventhub" / "reports.py"
    lines = reports.read_text(encoding="utf-8").splitlines()
    execute = next(n for n, t in enumerate(lines, 1) if "client.execute(_TOP" in t)
    assert f"eventhub/reports.py:{execute}:16: ASL301" in result.stdout


def test_helper_without_annotations_is_followed_alike(
    project: Path, tmp_path: Path
) -> None:
    # The client the caller made travels down to `fetch_rows`'s unannotated
    # parameter: the chain, the fix and what remains are those of the
    # annotated helper.
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLE, plain, ignore=_IGNORED)
    helper = plain / "eventhub" / "clickhouse.py"
    text = helper.read_text(encoding="utf-8")
    signature = "client: Client, query: str, params: dict[str, Any]) -> list[tuple]:"
    assert signature in text
    helper.write_text(text.replace(signature, "client, query, params):"))

    annotated = asynclint(project, "--no-cache", "--fix", ".")
    unannotated = asynclint(plain, "--no-cache", "--fix", ".")

    assert unannotated.stdout == annotated.stdout
    have, want = tree(plain), tree(project)
    del have["eventhub/clickhouse.py"], want["eventhub/clickhouse.py"]
    assert have == want
    assert "await asyncio.to_thread(fetch_rows" in have["eventhub/reports.py"].decode()


def test_fix_that_uncovers_a_second_fault_is_applied(project: Path) -> None:
    handlers = project / "eventhub" / "handlers.py"
    text = handlers.read_text(encoding="utf-8")
    awaited = '    await registry.broadcast(room, json.dumps({"joined"'
    assert awaited in text
    handlers.write_text(text.replace(awaited, awaited.replace("await ", "")))

    result = asynclint(project, "--no-cache", "--fix", ".")

    assert "fix not applied" not in result.stderr
    assert "await get_websocket_manager()" not in handlers.read_text("utf-8")


def test_statistics_mark_only_codes_fixable_throughout(project: Path) -> None:
    result = asynclint(project, "--no-cache", "--statistics", "-q", ".")

    lines = result.stderr.splitlines()

    assert "3  ASL301  [ ] blocking-call-in-async" in lines
    assert "2  ASL203  [ ] async-cm-sync-with" in lines
    assert "2  ASL102  [*] coroutine-not-awaited" in lines
    assert "1  ASL103  [ ] async-hook-never-awaited" in lines
