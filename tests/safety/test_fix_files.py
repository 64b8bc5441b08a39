"""`--fix` end to end: bytes kept, only changed files written, bad fixes dropped."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from asynclint import fixing
from asynclint.fixer import FixOutcome, _without_overlaps
from asynclint.types import AddAwait, Applicability, CodePosition, CodeRange, Fix

from .conftest import invoke

DROPPED = "async def job():\n    pass\n\n\nasync def main():\n    job()  # run it\n"
AWAITED = DROPPED.replace("    job()", "    await job()")
BOM = b"\xef\xbb\xbf"
LATIN = "# -*- coding: latin-1 -*-\n" + DROPPED.replace("run it", "café")
SLEEPS = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
SLEPT_ON_LOOP = (
    "import asyncio\nimport time\n\n\nasync def main():\n"
    "    await asyncio.sleep(1)\n"
)


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


LAYOUTS = {
    "lf": (DROPPED.encode(), AWAITED.encode()),
    "crlf": (_crlf(DROPPED), _crlf(AWAITED)),
    "bom": (BOM + DROPPED.encode(), BOM + AWAITED.encode()),
    "bom-crlf": (BOM + _crlf(DROPPED), BOM + _crlf(AWAITED)),
    "latin-1": (
        LATIN.encode("latin-1"),
        LATIN.replace("    job", "    await job").encode("latin-1"),
    ),
    # Old Mac endings: LibCST drops the last one; the fixer puts it back.
    "cr": (DROPPED.replace("\n", "\r").encode(), AWAITED.replace("\n", "\r").encode()),
    "no-final-newline": (DROPPED.rstrip("\n").encode(), AWAITED.rstrip("\n").encode()),
    # Mixed endings stay as they are, line by line.
    "mixed": (
        DROPPED.encode().replace(b"pass\n", b"pass\r\n"),
        AWAITED.encode().replace(b"pass\n", b"pass\r\n"),
    ),
    "crlf-fixed-line": (
        DROPPED.encode().replace(b"# run it\n", b"# run it\r\n"),
        AWAITED.encode().replace(b"# run it\n", b"# run it\r\n"),
    ),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_fix_keeps_encoding_bom_and_line_endings(layout: str, tmp_path: Path) -> None:
    before, after = LAYOUTS[layout]
    path = tmp_path / "a.py"
    path.write_bytes(before)

    result = invoke(tmp_path, "--fix", "a.py")

    assert result.exit_code == 0, result.output
    assert path.read_bytes() == after
    again = invoke(tmp_path, "--fix", "a.py")
    assert again.exit_code == 0
    assert path.read_bytes() == after


@pytest.mark.parametrize("bom", [b"", BOM])
def test_added_import_line_takes_the_file_newline(bom: bytes, tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(bom + _crlf(SLEEPS))

    result = invoke(tmp_path, "--fix", "--unsafe-fixes", "a.py")

    assert result.exit_code == 0, result.output
    assert path.read_bytes() == bom + _crlf(SLEPT_ON_LOOP)


def test_fix_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text(DROPPED)
    path.chmod(0o755)

    invoke(tmp_path, "--fix", "tool.py")

    assert path.read_text() == AWAITED
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_only_files_whose_text_changed_are_written(tmp_path: Path) -> None:
    (tmp_path / "fixable.py").write_text(DROPPED)
    untouched = {
        "clean.py": "async def main():\n    pass\n",
        # Only an unsafe fix: without --unsafe-fixes nothing changes.
        "unsafe_only.py": SLEEPS,
        "broken.py": "def f(:\n",
    }
    for name, text in untouched.items():
        (tmp_path / name).write_text(text)
    before = {name: (tmp_path / name).stat() for name in untouched}

    result = invoke(tmp_path, "--fix", ".")

    assert result.exit_code == 1
    assert (tmp_path / "fixable.py").read_text() == AWAITED
    for name, status in before.items():
        now = (tmp_path / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (status.st_ino, status.st_mtime_ns), (
            name
        )


def test_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    source = (
        "async def job():\n    pass\n\n\nasync def main():\n"
        "    job()  # noqa: ASL102\n"
        "    job()  # asynclint: ignore[ASL102]\n"
        "    job()\n"
    )
    (tmp_path / "a.py").write_text(source)
    (tmp_path / "legacy.py").write_text(DROPPED)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.asynclint.per-file-ignores]\n"legacy.py" = ["ASL102"]\n'
    )

    result = invoke(tmp_path, "--fix", ".")

    assert result.exit_code == 0, result.output
    lines = (tmp_path / "a.py").read_text().splitlines()
    assert lines[5:] == [
        "    job()  # noqa: ASL102",
        "    job()  # asynclint: ignore[ASL102]",
        "    await job()",
    ]
    assert (tmp_path / "legacy.py").read_text() == DROPPED


def test_nested_fixes_with_overlapping_ranges_both_apply(tmp_path: Path) -> None:
    source = (
        "from contextlib import asynccontextmanager\n\n\n"
        "@asynccontextmanager\nasync def opened():\n    yield 1\n\n\n"
        "async def job():\n    pass\n\n\n"
        "async def main():\n    with opened() as handle:  # outer\n"
        "        job()  # inner\n"
    )
    (tmp_path / "a.py").write_text(source)

    result = invoke(tmp_path, "--fix", "a.py")

    assert result.exit_code == 0, result.output
    text = (tmp_path / "a.py").read_text()
    assert "    async with opened() as handle:  # outer\n" in text
    assert "        await job()  # inner\n" in text


def _fix_at(line: int, start: int, end_line: int, end: int) -> Fix:
    target = CodeRange(CodePosition(line, start), CodePosition(end_line, end))
    return Fix(Applicability.SAFE, "await it", AddAwait(target))


def test_overlapping_fixes_are_never_applied_together() -> None:
    outer = _fix_at(3, 4, 5, 0)
    inner = _fix_at(4, 8, 4, 20)
    beside = _fix_at(6, 4, 6, 10)

    kept, skipped = _without_overlaps([inner, beside, outer])

    assert kept == [outer, beside]
    assert skipped == [inner]


TWO_DROPS = (
    "async def job():\n    pass\n\n\nasync def other():\n    pass\n\n\n"
    "async def main():\n"
    "    job()  # keep me\n"
    "    job()\n"
)


def _sabotage(
    monkeypatch: pytest.MonkeyPatch, line: int, damage: Callable[[str], str]
) -> None:
    """Make every rewrite that includes the fix on `line` come out damaged."""
    real = fixing.apply_fixes

    def damaged(source: str, fixes: Sequence[Fix]) -> FixOutcome:
        outcome = real(source, fixes)
        targets = [getattr(f.replacement, "target", None) for f in outcome.applied]
        if any(t is not None and t.start.line == line for t in targets):
            return FixOutcome(damage(outcome.text), outcome.applied, outcome.skipped)
        return outcome

    monkeypatch.setattr(fixing, "apply_fixes", damaged)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda text: text + "\n)\n", "the result would not be valid Python"),
        (
            lambda text: text.replace("  # keep me", ""),
            "the result would lose a comment",
        ),
        (
            # A rewrite that also writes a new fault on the lines it wrote.
            lambda text: text.replace(
                "    await job()\n", "    await job()\n    other()\n"
            ),
            "the result would add ASL102",
        ),
    ],
    ids=["invalid-code", "lost-comment", "new-violation"],
)
def test_a_fix_that_fails_verification_is_dropped_and_named(
    damage: Callable[[str], str],
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "a.py").write_text(TWO_DROPS)
    _sabotage(monkeypatch, 11, damage)

    result = invoke(tmp_path, "--fix", "a.py")

    assert (tmp_path / "a.py").read_text() == TWO_DROPS.replace(
        "    job()  # keep", "    await job()  # keep"
    )
    warning = (
        rf"^asynclint: warning: a\.py:11:5: ASL102 fix not applied: {re.escape(reason)}"
    )
    assert re.search(warning, result.stderr, re.MULTILINE), result.stderr
    assert "a.py:11:5: ASL102" in result.stdout
    # The refused fix is no fix: nothing is left "fixable with --fix".
    assert (
        result.stderr.splitlines()[-1] == "Found 2 violations (1 fixed, 1 remaining)."
    )
    assert result.exit_code == 1


def test_a_fix_is_never_written_over_a_file_edited_during_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text(DROPPED)
    real = fixing.fix_file

    def edit_meanwhile(*args: object, **kwargs: object) -> fixing.FileFix:
        outcome = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text("# the user's new work\n")
        return outcome

    monkeypatch.setattr(fixing, "fix_file", edit_meanwhile)
    result = invoke(tmp_path, "--fix", "a.py")

    assert path.read_text() == "# the user's new work\n"
    assert "a.py: error: changed while it was being fixed; not written" in result.stdout
    assert result.exit_code == 1


def test_a_fix_whose_own_finding_stays_where_it_wrote_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rewrite changes the line but leaves the call un-awaited."""
    (tmp_path / "a.py").write_text(TWO_DROPS)
    _sabotage(
        monkeypatch, 11, lambda text: text.replace("    await job()\n", "    job( )\n")
    )

    result = invoke(tmp_path, "--fix", "a.py")

    assert (tmp_path / "a.py").read_text() == TWO_DROPS.replace(
        "    job()  # keep", "    await job()  # keep"
    )
    warning = (
        r"^asynclint: warning: a\.py:11:5: ASL102 fix not applied: "
        r"the result would add ASL102"
    )
    assert re.search(warning, result.stderr, re.MULTILINE), result.stderr


def test_a_finding_left_unfixed_on_the_line_a_fix_rewrote_is_not_the_fixs(
    tmp_path: Path,
) -> None:
    """Only the `job()` finding is wanted; `other()`, on the same line and of
    the same code, was there before and stays: the fix is still accepted."""
    from asynclint.checker import Checker
    from asynclint.config import Settings
    from asynclint.library import build_model

    text = TWO_DROPS.replace("    job()\n", "    job(); other()\n")
    path = tmp_path / "a.py"
    path.write_text(text)
    configured = Settings(root=tmp_path)
    checker = Checker(configured, build_model(configured.declarations))
    analysis = checker.analyze(path, text)

    outcome = fixing.fix_file(
        checker, path, text, analysis, False, lambda v: "job()" in v.message
    )

    assert outcome.warnings == []
    assert outcome.text == text.replace("    job", "    await job")
    assert [v.line for v in outcome.analysis.violations] == [11]


@pytest.mark.xfail(
    strict=True,
    reason="the line diff that tells verification which lines a fix wrote pairs"
    " a written line with an equal old one: a rewrite of `job()` into"
    " `await job()` plus a new `job()` line looks like an added `await job()`"
    " before a kept `job()`, so the new finding there counts as uncovered, not"
    " made, and the round is accepted",
)
def test_a_fix_that_writes_its_own_call_again_on_a_new_line_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_text(TWO_DROPS)
    _sabotage(
        monkeypatch,
        11,
        lambda text: text.replace("    await job()\n", "    await job()\n    job()\n"),
    )

    result = invoke(tmp_path, "--fix", "a.py")

    assert "a.py:11:5: ASL102 fix not applied" in result.stderr


HELPER_A = (
    "async def job():\n    pass\n\n\nasync def other():\n    pass\n\n\n"
    "def helper():\n    return 1\n\n\n"
    "async def main():\n"
    "    job()\n"
)


def test_a_refused_rewrite_is_not_what_other_files_see(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refused rewrite of a.py makes `helper` async; b.py, checked after
    a.py was tried (and imported by 0.py before), must still see it sync."""
    (tmp_path / "0.py").write_text(
        "from a import helper\n\n\nasync def f():\n    return helper()\n"
    )
    (tmp_path / "a.py").write_text(HELPER_A)
    (tmp_path / "b.py").write_text(
        "from a import helper\n\n\nasync def g():\n    await helper()\n"
    )
    _sabotage(
        monkeypatch,
        14,
        lambda text: text.replace(
            "    await job()\n", "    await job()\n    other()\n"
        ).replace("def helper", "async def helper"),
    )

    checked = invoke(tmp_path, "--jobs", "1", ".")
    fixed = invoke(tmp_path, "--jobs", "1", "--fix", ".")

    assert "b.py:5:5: ASL101 " in checked.stdout
    assert (tmp_path / "a.py").read_text() == HELPER_A
    assert (tmp_path / "b.py").read_text().endswith("    helper()\n"), fixed.output
