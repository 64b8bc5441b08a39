"""A fix the fix loop refuses is never counted as fixable with --fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_asynclint

# LibCST cannot rewrite a file nested this deep: the fix of `job()` is
# refused every time (fixing.py), though the file parses and is checked.
DEEP = (
    "async def job():\n    pass\n\n\nasync def main():\n    job()\n"
    "    x = " + "[" * 150 + "]" * 150 + "\n"
)
FINDING = "deep.py:6:5: ASL102 "
REFUSED = (
    "asynclint: warning: deep.py:6:5: ASL102 fix not applied: "
    "the file is too deeply nested to rewrite"
)


@pytest.mark.parametrize(
    "args",
    [("--fix",), ("--diff",), ("--fix", "--unsafe-fixes")],
    ids=["fix", "diff", "unsafe-fix"],
)
def test_a_refused_fix_is_not_counted_as_fixable(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "deep.py").write_text(DEEP)

    done = run_asynclint(tmp_path, "--no-cache", "--statistics", *args, "deep.py")

    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 1, stderr
    # The diff takes stdout (and has nothing to show).
    assert stdout == "" if "--diff" in args else stdout.startswith(FINDING)
    assert "1  ASL102  [ ] coroutine-not-awaited\n" in stderr
    assert stderr.splitlines()[-1] == "Found 1 violation."
    assert (tmp_path / "deep.py").read_text() == DEEP


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_a_refused_fix_is_no_fix_in_a_report(
    tmp_path: Path, output_format: str
) -> None:
    (tmp_path / "deep.py").write_text(DEEP)

    done = run_asynclint(
        tmp_path, "--no-cache", "--output-format", output_format, "deep.py"
    )

    assert done.returncode == 1, done.stderr.decode()
    report = json.loads(done.stdout)
    if output_format == "json":
        assert [entry["fix"] for entry in report] == [None]
    else:
        assert "fixes" not in report["runs"][0]["results"][0]
