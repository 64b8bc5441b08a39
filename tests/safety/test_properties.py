"""Properties of checking and fixing over generated async programs.

For every generated program: checking never fails, `--fix --unsafe-fixes`
output parses, keeps every comment, and fixing it again changes nothing.
The engine is called in-process, as each worker of a run calls it.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis.errors import NonInteractiveExampleWarning

from asynclint.checker import Checker
from asynclint.config import Settings
from asynclint.file_check import check_one
from asynclint.library import build_model

from .programs import programs

# At least the `ci` profile's count, more under `--hypothesis-profile=thorough`.
_EXAMPLES = max(300, settings.default.max_examples)
_SETTINGS = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_ROOT = Path("/nonexistent-asynclint-project").absolute()
_PATH = _ROOT / "generated.py"


def _checker() -> Checker:
    configured = Settings(root=_ROOT)
    return Checker(configured, build_model(configured.declarations))


def _comments(text: str) -> Counter[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return Counter(t.string for t in tokens if t.type == tokenize.COMMENT)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return _checker()


@_SETTINGS
@given(programs())
def test_generated_programs_are_valid_python(source: str) -> None:
    ast.parse(source)


@_SETTINGS
@given(programs())
def test_checking_never_fails(source: str) -> None:
    analysis, outcome = check_one(_checker(), _PATH, source, fix=False, unsafe=False)

    assert outcome is None
    assert analysis.error is None, analysis.error


@_SETTINGS
@given(programs())
def test_fix_parses_keeps_comments_and_converges(source: str) -> None:
    analysis, outcome = check_one(_checker(), _PATH, source, fix=True, unsafe=True)
    assert analysis.error is None, analysis.error
    assert outcome is not None
    fixed = outcome.text
    event(
        f"fixes applied: {min(len(outcome.fixed), 5)}{'+' if len(outcome.fixed) >= 5 else ''}"
    )
    event(f"fixes rejected: {bool(outcome.warnings)}")

    ast.parse(fixed)
    assert _comments(fixed) == _comments(source)
    again_analysis, again = check_one(_checker(), _PATH, fixed, fix=True, unsafe=True)
    assert again_analysis.error is None
    assert again is not None
    assert again.text == fixed, "a second --fix changed the file again"


def test_the_generator_produces_findings_and_fixes() -> None:
    """Guard against a generator that drifts into programs with nothing to fix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        samples = [programs().example() for _ in range(30)]
    fixed = 0
    for source in samples:
        _, outcome = check_one(_checker(), _PATH, source, fix=True, unsafe=True)
        assert outcome is not None
        fixed += len(outcome.fixed)

    # About three fixes a program on average; the bound is far below that so
    # that the random draw cannot make the test flaky.
    assert fixed >= 10
