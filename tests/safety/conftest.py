"""Hypothesis profiles and helpers for the safety tests.

`ci` (the default here) runs each property 300 times; choose `thorough`
(3000) with `pytest tests/safety --hypothesis-profile=thorough`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

_QUIET = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("ci", max_examples=300, **_QUIET)
settings.register_profile("thorough", max_examples=3000, **_QUIET)

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
