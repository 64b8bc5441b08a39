"""Shared machinery of the data-driven tests: the CLI runner and golden trees.

Rule fixtures (tests/test_rule_fixtures.py) live in
`tests/fixtures/rules/<CODE>/<name>/`, one small project per directory.
Each line that must be reported ends in a comment naming its codes,
`# error: ASL101` or `# error: ASL101, ASL301`; every other line of every
file must stay clean. A fixture whose name starts with `no_` is a
must-not-fire fixture and holds no marker for its own code; any other
fixture holds at least one. Where `--fix` changes the project, the
expected result is the golden tree `<CODE>/<name>.fixed/` beside it,
compared byte for byte, and fixing the golden tree again must change
nothing; a fixture whose name starts with `unsafe_` is fixed with
`--unsafe-fixes`. A fixture the analysis gets wrong today is listed, with
the reason, in KNOWN_GAPS of tests/test_rule_fixtures.py (a strict xfail).
Shared cases (tests/test_cases.py) keep the layout of /work/shared/cases:
`input/`, `expected/`, `verdict.json`.

`pytest --update-golden` rewrites (or removes) the golden trees of the rule
fixtures from the current output of `asynclint --fix`; a normal run never
writes them. Review the rewritten trees before committing them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from asynclint.cli import main

# Property-test profiles: `ci` runs each property 300 times (the default the
# safety tests raise themselves to); `--hypothesis-profile=thorough` 3000.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=_SLOW_OK
)
settings.register_profile(
    "thorough", max_examples=3000, deadline=None, suppress_health_check=_SLOW_OK
)

# A finding as fixtures state it: (file relative to the project, line, code).
Finding = tuple[str, int, str]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden trees of tests/fixtures/rules from `asynclint --fix`.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run may rewrite golden trees."""
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True, slots=True)
class CliRun:
    """The outcome of one in-process `asynclint` invocation."""

    exit_code: int
    findings: Counter[Finding]
    stderr: str


def run_cli(root: Path, *arguments: str) -> CliRun:
    """Run `asynclint check --no-cache ... .` with `root` as working directory."""
    argv = ["check", "--no-cache", "--jobs", "1", "--quiet"]
    argv += ["--output-format", "json", *arguments, "."]
    with _working_directory(root):
        result = CliRunner().invoke(main, argv, catch_exceptions=False)
    assert result.exit_code in (0, 1), (
        f"asynclint {' '.join(argv)} exited {result.exit_code}: {result.stderr}"
    )
    base = root.resolve()
    findings: Counter[Finding] = Counter()
    for entry in json.loads(result.stdout):
        file = Path(entry["filename"]).resolve().relative_to(base).as_posix()
        findings[(file, entry["location"]["row"], entry["code"])] += 1
    return CliRun(result.exit_code, findings, result.stderr)


@pytest.fixture
def asynclint() -> Callable[..., CliRun]:
    """`asynclint(root, *options)`: the real CLI run on a project tree."""
    return run_cli


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    # The CLI takes its project root from the working directory when the
    # project has no config file, as it does for a user in that directory.
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)
