"""`[tool.asynclint]` declarations extend the library model, by qualified name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CONFIG = """\
[project]
name = "app"
version = "0"

[tool.asynclint]
blocking-calls = ["vendorlib.Client.execute"]
coroutine-functions = ["vendorlib.fetch"]
sync-functions = ["vendorlib.legacy_fetch"]
async-context-managers = ["vendorlib.session"]
"""

VIEWS = """\
import vendorlib


async def view():
    client = vendorlib.Client()
    client.execute("SELECT 1")
    vendorlib.fetch()
    await vendorlib.legacy_fetch()
    with vendorlib.session():
        pass
"""


def test_declared_facts_drive_the_rules(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    (tmp_path / "views.py").write_text(VIEWS)
    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = [(line.split(":")[1], line.split()[1]) for line in result.stdout.splitlines()]
    assert found == [("6", "ASL301"), ("7", "ASL102"), ("8", "ASL101"), ("9", "ASL203")]


def test_without_declarations_unknown_library_is_silent(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    (tmp_path / "views.py").write_text(VIEWS)
    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout == ""
    assert result.returncode == 0
