"""Helpers for the safety tests (the Hypothesis profiles are registered in
tests/conftest.py, so `--hypothesis-profile=thorough` works from the root)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result

ASYNCLINT = [sys.executable, "-c", "from asynclint.cli import main; main()"]


def run_asynclint(
    cwd: Path, *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """Run the real command line in `cwd`, as a user would."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [*ASYNCLINT, *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def invoke(cwd: Path, *args: str, stdin: bytes | None = None) -> Result:
    """Run the command line in-process (fast; monkeypatches apply) in `cwd`."""
    from asynclint.cli import main

    with _working_directory(cwd):
        return CliRunner().invoke(
            main, ["check", "--no-cache", *args], input=stdin, catch_exceptions=False
        )


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)
