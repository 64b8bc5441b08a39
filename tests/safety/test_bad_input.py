"""Each bad input gets one clear message naming the file, and the right exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from .bad_inputs import GOOD_FINDING, SCENARIOS, Scenario, matches, run_scenario


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_bad_input(scenario: Scenario, tmp_path: Path) -> None:
    code, out, err = run_scenario(scenario, tmp_path)
    seen = out + err

    assert "Traceback" not in seen
    assert "internal error" not in seen
    for pattern in scenario.expected:
        assert matches(pattern, seen), f"{pattern!r} not in:\n{seen}"
    assert code == scenario.exit_code, seen
    if scenario.continues:
        assert GOOD_FINDING in out, "the run stopped at the bad file"


def test_verbose_shows_the_traceback_of_an_internal_error(tmp_path: Path) -> None:
    """`-v` is the one way to get a traceback; without it, one line and exit 3."""
    from .conftest import run_asynclint

    (tmp_path / "a.py").write_text("x = 1\n")
    # An unreadable cache directory path (a file) makes the cache fail to open.
    (tmp_path / "cache").write_text("")
    quiet = run_asynclint(tmp_path, "--cache-dir", "cache/sub", "a.py")
    loud = run_asynclint(tmp_path, "-v", "--cache-dir", "cache/sub", "a.py")

    assert quiet.returncode in (0, 3)
    if quiet.returncode == 3:
        assert b"Traceback" not in quiet.stderr
        assert b"run with -v" in quiet.stderr
        assert b"Traceback" in loud.stderr
