"""The project index: what it keeps, and what it reuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import index
from asynclint.index import ProjectIndex


def _package(root: Path, modules: int, lines: int) -> list[Path]:
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    files = []
    for number in range(modules):
        body = "".join(f"def f{n}():\n    return {n}\n" for n in range(lines // 2))
        path = package / f"m{number:02d}.py"
        path.write_text(body)
        files.append(path)
    return files


def test_kept_summaries_stay_within_the_line_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "_MAX_KEPT_LINES", 100)
    files = _package(tmp_path, modules=12, lines=30)
    project = ProjectIndex([tmp_path])
    for path in files:
        assert project.summary(f"pkg.{path.stem}") is not None
        project.dispose_retired()
    kept = [p for p in files if project.cached(p, p.read_text()) is not None]
    # 30 lines each: three fit in 100, the most recently used ones.
    assert kept == files[-3:]
    # A module dropped from the budget is summarised again when needed.
    again = project.summary("pkg.m00")
    assert again is not None and again.functions


def test_checked_file_reuses_the_summary_an_import_made(tmp_path: Path) -> None:
    files = _package(tmp_path, modules=1, lines=4)
    project = ProjectIndex([tmp_path])
    imported = project.summary("pkg.m00")
    assert project.cached(files[0], files[0].read_text()) is imported
    # Another text for the same file (a fix being verified) is not reused.
    assert project.cached(files[0], "def other():\n    pass\n") is None
