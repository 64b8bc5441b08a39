"""The checker's text pre-filter lets every file with marker facts through.

The marker projects under tests/fixtures/markers are judged through the
markers API, which reads every file; this runs the command line, where a
file is parsed for marker facts only when its text passes the pre-filter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).parent / "fixtures" / "markers" / "408_async_without_plugin"


def test_async_test_without_pytest_import_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "input", root)
    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "tests/test_no_import.py:2:1: ASL408" in result.stdout, result.stdout
