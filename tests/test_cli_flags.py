"""Every command-line flag, end to end, in a temporary project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

VIEWS = """\
from app.helpers import get_manager, send


async def view():
    manager = await get_manager()
    send(manager)
    return manager


async def quiet():
    return await get_manager()  # noqa: ASL101
"""
HELPERS = """\
def get_manager():
    return None


async def send(value):
    return value
"""


def _asynclint(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", *args]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "app/helpers.py").write_text(HELPERS)
    (tmp_path / "app/views.py").write_text(VIEWS)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    return tmp_path


LINES = [
    "app/views.py:5:15: ASL101 `await` on the result of `app.helpers.get_manager()` "
    "(None), which is not awaitable",
    "app/views.py:6:5: ASL102 coroutine from `app.helpers.send()` is never awaited: "
    "its result is dropped, so it never runs",
]


def test_text_output_and_exit_code(project: Path) -> None:
    result = _asynclint("--no-cache", ".", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == LINES
    assert "Found 2 violations" in result.stderr


def test_check_subcommand_is_the_default(project: Path) -> None:
    bare = _asynclint("--no-cache", ".", cwd=project)
    explicit = _asynclint("check", "--no-cache", ".", cwd=project)
    assert bare.stdout == explicit.stdout


def test_select_and_ignore(project: Path) -> None:
    only = _asynclint("--no-cache", "--select", "ASL101", ".", cwd=project)
    assert only.stdout.splitlines() == LINES[:1]
    ignored = _asynclint("--no-cache", "--ignore", "ASL1", ".", cwd=project)
    assert ignored.stdout == ""
    assert ignored.returncode == 0
    extended = _asynclint(
        "--no-cache",
        "--select",
        "ASL101",
        "--extend-select",
        "ASL102",
        ".",
        cwd=project,
    )
    assert extended.stdout.splitlines() == LINES


def test_unknown_code_is_a_usage_error(project: Path) -> None:
    result = _asynclint("--no-cache", "--select", "XYZ9", ".", cwd=project)
    assert result.returncode == 2
    assert "unknown rule code" in result.stderr


def test_exit_zero(project: Path) -> None:
    result = _asynclint("--no-cache", "--exit-zero", ".", cwd=project)
    assert result.returncode == 0
    assert result.stdout.splitlines() == LINES


def test_fix_then_clean_and_exit_non_zero_on_fix(project: Path) -> None:
    fixed = _asynclint(
        "--no-cache", "--fix", "--exit-non-zero-on-fix", ".", cwd=project
    )
    assert fixed.returncode == 1
    text = (project / "app/views.py").read_text()
    assert "manager = get_manager()" in text
    assert "await send(manager)" in text
    again = _asynclint(
        "--no-cache", "--fix", "--exit-non-zero-on-fix", ".", cwd=project
    )
    assert again.returncode == 0
    assert again.stdout == ""


def test_diff_writes_nothing(project: Path) -> None:
    before = (project / "app/views.py").read_text()
    result = _asynclint("--no-cache", "--diff", ".", cwd=project)
    assert result.returncode == 1
    assert "-    manager = await get_manager()" in result.stdout
    assert "+    manager = get_manager()" in result.stdout
    assert (project / "app/views.py").read_text() == before


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit"])
def test_diff_with_another_format_needs_an_output_file(project: Path, fmt: str) -> None:
    before = (project / "app/views.py").read_text()

    result = _asynclint(
        "--no-cache", "--diff", "--output-format", fmt, ".", cwd=project
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"asynclint: error: --diff prints the diff on stdout; write the {fmt} "
        "report to a file with -o/--output-file\n"
    )
    assert (project / "app/views.py").read_text() == before


def test_diff_with_a_json_report_file(project: Path) -> None:
    result = _asynclint(
        "--no-cache", "--diff", "--unsafe-fixes", "--output-format", "json",
        "-o", "report.json", ".", cwd=project,
    )  # fmt: skip

    assert result.returncode == 1
    assert "+    manager = get_manager()" in result.stdout
    # What --fix would leave: nothing, since both findings would be fixed.
    assert json.loads((project / "report.json").read_text()) == []


def test_statistics_and_show_fixes(project: Path) -> None:
    stats = _asynclint("--no-cache", "--statistics", ".", cwd=project)
    assert "ASL101" in stats.stderr and "await-not-awaitable" in stats.stderr
    shown = _asynclint("--no-cache", "--fix", "--show-fixes", ".", cwd=project)
    assert "app/views.py" in shown.stderr


def test_output_file_and_json(project: Path) -> None:
    result = _asynclint(
        "--no-cache", "--output-format", "json", "-o", "report.json", ".", cwd=project
    )
    assert result.stdout == ""
    report = json.loads((project / "report.json").read_text())
    assert [entry["code"] for entry in report] == ["ASL101", "ASL102"]


def test_noqa_and_unused_suppressions(project: Path) -> None:
    views = project / "app/views.py"
    views.write_text(views.read_text() + "\n\nx = 1  # noqa: ASL102\n")
    result = _asynclint("--no-cache", "--warn-unused-ignores", ".", cwd=project)
    codes = [line.split()[1] for line in result.stdout.splitlines()]
    assert codes == ["ASL101", "ASL102", "ASL001"]


def test_per_file_ignores(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0"\n\n'
        '[tool.asynclint.per-file-ignores]\n"app/views.py" = ["ASL102"]\n'
    )
    result = _asynclint("--no-cache", ".", cwd=project)
    assert result.stdout.splitlines() == LINES[:1]


def test_config_select_and_wrong_type(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0"\n\n[tool.asynclint]\nselect = "ASL1"\n'
    )
    result = _asynclint("--no-cache", ".", cwd=project)
    assert result.returncode == 2
    assert "tool.asynclint.select" in result.stderr


def test_exclude_pattern_that_cannot_compile_is_a_usage_error(project: Path) -> None:
    result = _asynclint("--no-cache", "--extend-exclude", "[z-a]", ".", cwd=project)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "asynclint: error: --extend-exclude: invalid pattern '[z-a]': "
        "bad character range z-a\n"
    )


def test_unknown_config_key_warns(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0"\n\n[tool.asynclint]\nselcet = ["ASL1"]\n'
    )
    result = _asynclint("--no-cache", ".", cwd=project)
    assert result.returncode == 1
    assert "unknown key tool.asynclint.selcet" in result.stderr


def test_rule_and_rules_commands(project: Path) -> None:
    listing = _asynclint("rules", cwd=project)
    assert listing.returncode == 0
    assert any(line.startswith("ASL101") for line in listing.stdout.splitlines())
    one = _asynclint("rule", "asl201", cwd=project)
    assert one.stdout.startswith("# ASL201 async-cm-awaited")
    missing = _asynclint("rule", "ASL999", cwd=project)
    assert missing.returncode == 2


def test_rule_accepts_a_slug(project: Path) -> None:
    by_slug = _asynclint("rule", "blocking-call-in-async", cwd=project)
    by_code = _asynclint("rule", "ASL301", cwd=project)
    assert by_slug.returncode == 0, by_slug.stderr
    assert by_slug.stdout == by_code.stdout
    assert by_slug.stdout.startswith("# ASL301 blocking-call-in-async\n")
    unknown = _asynclint("rule", "blocking-call", cwd=project)
    assert unknown.returncode == 2
    assert unknown.stderr == "asynclint: error: no rule blocking-call\n"
    assert "CODE|SLUG" in _asynclint("rule", "--help", cwd=project).stdout


def test_colour_only_on_a_terminal(project: Path) -> None:
    result = _asynclint("--no-cache", ".", cwd=project)
    assert "\x1b[" not in result.stdout


def test_unused_suppression_on_a_marker_line_is_not_reported(project: Path) -> None:
    tests = project / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text(
        "import pytest\n\n\n"
        "@pytest.mark.nightly  # noqa: ASL401\n"
        "def test_a():\n    pass\n\n\n"
        "x = 1  # asynclint: ignore[ASL402]\n"
    )
    result = _asynclint("--no-cache", "--warn-unused-ignores", "tests", cwd=project)
    lines = result.stdout.splitlines()
    assert not any(":4:" in line for line in lines), lines
    assert any(
        line.startswith("tests/test_a.py:9:") and "ASL001" in line for line in lines
    )


def _stdin(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    views = (project / "app/views.py").read_text()
    command = [sys.executable, "-m", "asynclint", "--no-cache", *args]
    command += ["--stdin-filename", "app/views.py", "-"]
    return subprocess.run(
        command, cwd=project, input=views, capture_output=True, text=True, timeout=120
    )


def test_stdin_without_fix_reports_and_writes_no_source(project: Path) -> None:
    result = _stdin(project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == LINES
    assert "Found 2 violations" in result.stderr


def test_stdin_json_reports_the_findings(project: Path) -> None:
    result = _stdin(project, "--output-format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [entry["code"] for entry in report] == ["ASL101", "ASL102"]
    assert report[0]["fix"]["edits"][0]["location"] == {"row": 5, "column": 15}


def test_stdin_diff_prints_the_diff(project: Path) -> None:
    result = _stdin(project, "--diff")
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/app/views.py\n+++ b/app/views.py\n")
    assert "+    manager = get_manager()" in result.stdout
    assert "+    await send(manager)" in result.stdout


def test_stdin_with_fix_writes_the_fixed_source(project: Path) -> None:
    before = (project / "app/views.py").read_text()
    result = _stdin(project, "--fix")
    assert result.returncode == 0, result.stderr
    assert "    manager = get_manager()\n    await send(manager)\n" in result.stdout
    assert (project / "app/views.py").read_text() == before
    on_fix = _stdin(project, "--fix", "--exit-non-zero-on-fix")
    assert on_fix.returncode == 1


def test_a_missing_path_is_not_reported_as_success(project: Path) -> None:
    result = _asynclint("--no-cache", "app/helpers.py", "nothere.py", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "asynclint: error: nothere.py: no such file or directory",
        "No violations found. 1 path not found.",
    ]


def _unregistered_marker(project: Path) -> None:
    (project / "tests").mkdir()
    (project / "tests/test_a.py").write_text(
        "import pytest\n\n\n@pytest.mark.nightly\ndef test_a():\n    pass\n"
    )


def test_diff_summary_tells_what_fix_would_do(project: Path) -> None:
    _unregistered_marker(project)
    config = (project / "pyproject.toml").read_text()

    shown = _asynclint("--no-cache", "--diff", ".", cwd=project)

    assert shown.returncode == 1
    assert "+++ b/pyproject.toml" in shown.stdout
    summary = "Found 3 violations (3 would be fixed, 0 would remain)."
    assert shown.stderr.splitlines() == [summary]
    assert (project / "pyproject.toml").read_text() == config
    fixed = _asynclint("--no-cache", "--fix", ".", cwd=project)
    assert fixed.stderr.splitlines() == ["Found 3 violations (3 fixed, 0 remaining)."]


def test_diff_of_only_a_config_edit_exits_one(project: Path) -> None:
    _unregistered_marker(project)

    shown = _asynclint("--no-cache", "--diff", "tests", cwd=project)

    assert shown.returncode == 1
    assert shown.stdout.startswith("--- a/pyproject.toml\n")
    assert shown.stderr.splitlines() == [
        "Found 1 violation (1 would be fixed, 0 would remain)."
    ]


def test_show_fixes_lists_a_marker_registration_under_the_config(
    project: Path,
) -> None:
    _unregistered_marker(project)

    shown = _asynclint("--no-cache", "--fix", "--show-fixes", "tests", cwd=project)

    assert shown.stderr.splitlines() == [
        "Fixed 1 violation:",
        "  pyproject.toml",
        "    1 x ASL401 marker-not-registered",
        "Found 1 violation (1 fixed, 0 remaining).",
    ]


def test_migrate_summary_counts_in_the_singular(tmp_path: Path) -> None:
    (tmp_path / "lib.py").write_text("async def fetch():\n    return 1\n")
    (tmp_path / "use.py").write_text(
        "from lib import fetch\n\n\nasync def main():\n    return fetch()\n"
    )
    result = _asynclint("migrate", "--now-async", "lib.fetch", ".", cwd=tmp_path)
    assert "+    return await fetch()" in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "1 site to change in 1 file; 0 left to do by hand."
    )


def test_diff_of_a_created_config_is_headed_dev_null(tmp_path: Path) -> None:
    _unregistered_marker(tmp_path)

    shown = _asynclint("--no-cache", "--diff", ".", cwd=tmp_path)

    assert shown.returncode == 1
    assert shown.stdout.splitlines()[:3] == [
        "--- /dev/null",
        "+++ b/pytest.ini",
        "@@ -0,0 +1,3 @@",
    ]
    assert not (tmp_path / "pytest.ini").exists()


def test_top_level_help_shows_the_check_options(project: Path) -> None:
    result = _asynclint("--help", cwd=project)
    check = _asynclint("check", "--help", cwd=project)

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    # Run as `python -m asynclint`, the program is named so.
    assert lines[0] == "Usage: python -m asynclint [OPTIONS] [PATHS]..."
    assert lines[1] == "   or: python -m asynclint COMMAND [ARGS]..."
    assert "Check options (asynclint [OPTIONS] [PATHS] is asynclint check):" in lines
    for option in ("--fix", "--output-format", "--select", "--statistics"):
        assert any(line.lstrip().startswith(option) for line in lines), option
    check_options = [line for line in check.stdout.splitlines() if "  --" in line]
    assert all(line in lines for line in check_options if "--help" not in line)
    assert "Commands:" in lines
