"""Real pytest, with `--strict-markers`, before and after the fixes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import fix_until_stable

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markers"


def _collects(root: Path) -> bool:
    command = [sys.executable, "-m", "pytest", "--strict-markers", "--collect-only"]
    command += ["-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        command, check=False, cwd=root, capture_output=True, text=True
    )
    return done.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "R16",
        "R19",
        "T09a",
        "T10",
        "401_alias_forms",
        "401_ini_crlf_no_newline",
        "401_toml_multiline_no_trailing_comma",
        "401_no_config_at_all",
        "T09c",
    ],
)
def test_collection_fails_before_and_passes_after(name: str, tmp_path: Path) -> None:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name / "input", root)
    assert not _collects(root)

    fix_until_stable(root)

    assert _collects(root)
