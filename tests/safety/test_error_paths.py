"""Failures that tests cannot make for real (as root), simulated in-process."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from asynclint import fixing, writing
from asynclint.checker import Checker
from asynclint.config import Settings
from asynclint.file_check import check_one
from asynclint.fixer import FixOutcome
from asynclint.library import build_model
from asynclint.types import Fix

from .conftest import invoke

DROPPED = "async def job():\n    pass\n\n\nasync def main():\n    job()\n"


def test_an_unreadable_file_is_one_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod 000 does not stop root, so refuse the read where it happens.
    (tmp_path / "secret.py").write_text("x = 1\n")
    (tmp_path / "good.py").write_text(DROPPED)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke(tmp_path, "--jobs", "1", ".")

    assert "secret.py: error: cannot read: permission denied" in result.stdout
    assert "good.py:6:5: ASL102" in result.stdout
    assert result.exit_code == 1


def test_a_file_that_cannot_be_written_is_an_error_and_others_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_text(DROPPED)
    (tmp_path / "b.py").write_text(DROPPED)
    real = writing.tempfile.mkstemp

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        if str(kwargs.get("prefix", "")).startswith(".a.py"):
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(writing.tempfile, "mkstemp", mkstemp)
    result = invoke(tmp_path, "--fix", ".")

    assert "a.py: error: cannot write the fix: Permission denied" in result.stdout
    assert (tmp_path / "a.py").read_text() == DROPPED
    assert "await job()" in (tmp_path / "b.py").read_text()
    assert "Traceback" not in result.output
    assert result.exit_code == 1


def test_a_fix_too_deep_for_libcst_is_dropped_with_a_warning(tmp_path: Path) -> None:
    nested = "[" * 150 + "]" * 150
    (tmp_path / "a.py").write_text(DROPPED + f"    x = {nested}\n")

    result = invoke(tmp_path, "--fix", "a.py")

    assert "ASL102 fix not applied: the file is too deeply nested to rewrite" in (
        result.stderr
    )
    assert (tmp_path / "a.py").read_text().startswith(DROPPED)
    assert result.exit_code == 1


def test_nested_fixes_converge_in_one_run(tmp_path: Path) -> None:
    """Overlapping fixes apply one per round; one `--fix` still finishes."""
    lines = [
        "from contextlib import asynccontextmanager",
        "",
        "",
        "@asynccontextmanager",
        "async def opened():",
        "    yield 1",
        "",
        "",
        "async def main():",
    ]
    depth = 12
    for level in range(depth):
        lines.append(
            "    " * (level + 1) + f"with opened() as v{level}:  # level {level}"
        )
    lines.append("    " * (depth + 1) + "pass")
    path = tmp_path / "a.py"
    path.write_text("\n".join(lines) + "\n")

    result = invoke(tmp_path, "--fix", "a.py")

    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert text.count("async with opened()") == depth
    assert invoke(tmp_path, "--fix", "a.py").exit_code == 0
    assert path.read_text() == text


def test_a_fix_that_leaves_syntax_only_ast_accepts_is_verified_by_ast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verification parses with the interpreter's own parser, not LibCST's."""
    real = fixing.apply_fixes

    def py2(source: str, fixes: Sequence[Fix]) -> FixOutcome:
        outcome = real(source, fixes)
        return FixOutcome(
            outcome.text + "print 'x'\n", outcome.applied, outcome.skipped
        )

    monkeypatch.setattr(fixing, "apply_fixes", py2)
    configured = Settings(root=tmp_path)
    checker = Checker(configured, build_model(configured.declarations))

    _, outcome = check_one(checker, tmp_path / "a.py", DROPPED, fix=True, unsafe=False)

    assert outcome is not None and outcome.text == DROPPED
    reason = "the result would not be valid Python"
    assert outcome.warnings == [
        f"{tmp_path / 'a.py'}:6:5: ASL102 fix not applied: {reason}"
    ]


def test_an_internal_error_is_one_line_and_exit_3_unless_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("asynclint.cli.run", broken)
    quiet = invoke(tmp_path, "a.py")

    assert quiet.exit_code == 3
    assert quiet.stderr == (
        "asynclint: internal error: RuntimeError: boom (run with -v for the traceback)\n"
    )
    assert quiet.stdout == ""
    loud = invoke(tmp_path, "-v", "a.py")
    assert loud.exit_code == 3
    assert "Traceback (most recent call last)" in loud.stderr
    assert "RuntimeError: boom" in loud.stderr
