"""Each bad input gets one clear message naming the file, and the right exit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .bad_inputs import GOOD_FINDING, SCENARIOS, Scenario, matches, run_scenario


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_bad_input(scenario: Scenario, tmp_path: Path) -> None:
    if "newer Python" in scenario.name and sys.version_info >= (3, 12):
        pytest.skip("this Python accepts type statements")
    code, out, err = run_scenario(scenario, tmp_path)
    seen = out + err

    assert "Traceback" not in seen
    assert "internal error" not in seen
    for pattern in scenario.expected:
        assert matches(pattern, seen), f"{pattern!r} not in:\n{seen}"
    assert code == scenario.exit_code, seen
    if scenario.continues:
        assert GOOD_FINDING in out, "the run stopped at the bad file"
