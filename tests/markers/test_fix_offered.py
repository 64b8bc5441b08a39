"""ASL401 offers its fix only where the edit would change the config: a
finding whose fix does nothing would stay "fixable" run after run."""

from __future__ import annotations

from pathlib import Path

from harness import run_check

TEST = "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n"


def _project(tmp_path: Path, pyproject: str) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(TEST)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    return tmp_path


def test_a_markers_string_the_edit_cannot_extend_gets_no_fix(tmp_path: Path) -> None:
    # The backslash ends the line inside the string: a line added below it
    # would join the entry above, so the editor declines.
    pyproject = '[tool.pytest.ini_options]\nmarkers = """\n    fast \\\n"""\n'
    root = _project(tmp_path, pyproject)

    (violation,) = run_check(root)

    assert violation.code == "ASL401"
    assert violation.fix is None


def test_a_markers_string_the_edit_extends_gets_the_fix(tmp_path: Path) -> None:
    root = _project(tmp_path, '[tool.pytest.ini_options]\nmarkers = "fast"\n')

    (violation,) = run_check(root)

    assert violation.code == "ASL401"
    assert violation.fix is not None
