"""Which declared requirements rule out a release a library fact needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.cli import main
from asynclint.library.versions import parse_version, rules_out_from

RELEASE = (0, 4, 0)


@pytest.mark.parametrize(
    ("requirement", "ruled_out"),
    [
        ("asynch==0.2.5", True),
        ("asynch===0.3.1", True),
        ("asynch == 0.4.0", False),
        ("asynch==0.2.*", True),
        ("asynch==0.4.*", False),
        ("asynch<0.4", True),
        ("asynch<0.4.1", False),
        ("asynch<=0.3.9", True),
        ("asynch<=0.4", False),
        ("asynch~=0.2.5", True),
        ("asynch~=0.3.0", True),
        ("asynch~=0.4", False),
        ("asynch>=0.2,<0.3", True),
        ("asynch>=0.2", False),
        ("asynch!=0.4.0", False),
        ("asynch", False),
        ("asynch[lz4]==0.2.5", True),
        ("asynch==0.2.5; python_version < '3.12'", True),
        ("asynch @ https://example.invalid/asynch-0.2.5.tar.gz", False),
        ("asynch==latest", False),
    ],
)
def test_upper_bounds(requirement: str, ruled_out: bool) -> None:
    assert rules_out_from(requirement, RELEASE) is ruled_out


def test_release_numbers() -> None:
    assert parse_version("0.4.0rc1") == (0, 4, 0)
    assert parse_version("v2") == (2,)
    assert parse_version("latest") is None


SOURCE = """\
from asynch import connect


async def count():
    conn = await connect(host="clickhouse")
    return conn
"""


def test_a_changed_pin_clears_the_cached_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports.py").write_text(SOURCE)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "r"\ndependencies = ["asynch==0.2.5"]\n')
    runner = CliRunner()
    assert "ASL201" not in runner.invoke(main, ["."]).output
    pyproject.write_text('[project]\nname = "r"\ndependencies = ["asynch>=0.4"]\n')
    assert "reports.py:5:12: ASL201" in runner.invoke(main, ["."]).output
