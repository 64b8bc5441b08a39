"""The persistent cache is invalidated exactly, and jobs never change findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def _project(root: Path, helper_is_async: bool) -> None:
    package = root / "app"
    package.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    (package / "__init__.py").write_text("")
    keyword = "async def" if helper_is_async else "def"
    (package / "helpers.py").write_text(f"{keyword} get_manager():\n    return None\n")
    (package / "views.py").write_text(
        "from app.helpers import get_manager\n\n\n"
        "async def view():\n"
        "    return await get_manager()\n"
    )


def test_warm_run_reuses_results(tmp_path: Path) -> None:
    _project(tmp_path, helper_is_async=False)
    cold = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "app/views.py:5:12: ASL101" in cold.stdout
    assert list((tmp_path / "cache").glob("results-*/*.pickle"))
    warm = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert warm.stdout == cold.stdout
    assert warm.returncode == cold.returncode == 1


def test_warm_run_still_reports_an_unused_suppression(tmp_path: Path) -> None:
    # A file whose only news is a directive that suppresses nothing has no
    # findings of its own, yet --warn-unused-ignores must still see it warm.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    (tmp_path / "jobs.py").write_text(
        "import asyncio\n\n\nasync def job():\n"
        "    await asyncio.sleep(1)  # noqa: ASL101\n"
    )
    args = ("--cache-dir", "cache", "--warn-unused-ignores", ".")
    cold = _asynclint(*args, cwd=tmp_path)
    assert "jobs.py:5:29: ASL001" in cold.stdout
    warm = _asynclint(*args, cwd=tmp_path)
    assert warm.stdout == cold.stdout
    assert warm.returncode == cold.returncode == 1


def test_unused_suppressions_are_found_after_a_plain_run(tmp_path: Path) -> None:
    # A plain run reads no directive in a file without findings; the run
    # that reports unused ones must not take its answers.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    (tmp_path / "jobs.py").write_text(
        "import asyncio\n\n\nasync def job():\n"
        "    await asyncio.sleep(1)  # noqa: ASL101\n"
    )
    plain = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert plain.returncode == 0, plain.stdout
    args = ("--cache-dir", "cache", "--warn-unused-ignores", ".")
    warned = _asynclint(*args, cwd=tmp_path)
    assert "jobs.py:5:29: ASL001" in warned.stdout


def test_a_clean_file_has_its_directives_read_only_when_they_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asynclint import checker, suppression
    from asynclint.config import Settings
    from asynclint.file_check import check_one
    from asynclint.run_setup import make_checker

    source = tmp_path / "jobs.py"
    source.write_text("async def job():\n    return 1  # noqa: ASL101\n")
    read: list[str] = []
    original = suppression.parse_suppressions

    def counted(text: str) -> suppression.Suppressions:
        read.append(text)
        return original(text)

    monkeypatch.setattr(checker.suppression, "parse_suppressions", counted)
    for unused_directives, expected in ((False, 0), (True, 1)):
        read.clear()
        plain = make_checker(
            Settings(root=tmp_path), [tmp_path], None, unused_directives
        )
        check_one(plain, source, None, False, False)
        assert len(read) == expected


def test_definition_turning_async_invalidates_dependent_file(tmp_path: Path) -> None:
    _project(tmp_path, helper_is_async=False)
    first = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "ASL101" in first.stdout
    # Only the helper changes; views.py is byte-for-byte the same file.
    views_before = (tmp_path / "app/views.py").read_bytes()
    (tmp_path / "app/helpers.py").write_text(
        "async def get_manager():\n    return None\n"
    )
    second = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert (tmp_path / "app/views.py").read_bytes() == views_before
    assert second.stdout == ""
    assert second.returncode == 0


def test_definition_turning_sync_invalidates_dependent_file(tmp_path: Path) -> None:
    _project(tmp_path, helper_is_async=True)
    assert _asynclint("--cache-dir", "cache", ".", cwd=tmp_path).stdout == ""
    (tmp_path / "app/helpers.py").write_text("def get_manager():\n    return None\n")
    again = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "app/views.py:5:12: ASL101" in again.stdout


def test_pre_commit_style_run_matches_full_run(tmp_path: Path) -> None:
    _project(tmp_path, helper_is_async=False)
    full = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    single = _asynclint("--cache-dir", "cache", "app/views.py", cwd=tmp_path)
    assert single.stdout == full.stdout


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    _project(tmp_path, helper_is_async=False)
    _asynclint("--no-cache", ".", cwd=tmp_path)
    assert not (tmp_path / ".asynclint_cache").exists()


@pytest.mark.parametrize("fixture", ["cases", "rules"])
def test_jobs_one_and_two_give_identical_output(fixture: str, tmp_path: Path) -> None:
    root = Path(__file__).parent / "fixtures" / fixture
    if not root.is_dir():
        pytest.skip(f"no fixtures under {root}")
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(root, tree)
    (tree / "pyproject.toml").write_text('[project]\nname = "t"\nversion = "0"\n')
    one = _asynclint("--no-cache", "--jobs", "1", ".", cwd=tree)
    two = _asynclint("--no-cache", "--jobs", "2", ".", cwd=tree)
    assert one.returncode in (0, 1), one.stderr
    assert one.stdout == two.stdout
    assert one.stdout  # the fixtures do contain findings


def test_a_few_files_in_two_packages_give_identical_output(tmp_path: Path) -> None:
    """Under 16 files, each process checks one package's files whole."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\nversion = "0"\n')
    for package in ("shop", "billing"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "helpers.py").write_text("def ready():\n    return 1\n")
        for number in range(3):
            (tmp_path / package / f"use_{number}.py").write_text(
                f"from {package}.helpers import ready\n\n\n"
                "async def main():\n    return await ready()\n"
            )
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("use_*.py"))
    one = _asynclint("--no-cache", "--jobs", "1", *files, cwd=tmp_path)
    two = _asynclint("--no-cache", "--jobs", "2", *files, cwd=tmp_path)
    assert one.stdout == two.stdout
    assert one.stdout.count("ASL101") == 6


def test_neighbourhoods_keep_a_package_together(tmp_path: Path) -> None:
    from asynclint.worker_pool import _neighbourhoods

    def task(name: str, size: int) -> tuple[Path, bool, bool]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x" * size)
        return (path, False, False)

    tasks = [task("a/x/one.py", 10), task("a/x/two.py", 10), task("b/y/three.py", 5)]
    groups = _neighbourhoods(tasks, tmp_path, 2)
    assert sorted(len(g) for g in groups) == [1, 2]
    assert _neighbourhoods(tasks[:2], tmp_path, 2) == []


def _large_project(root: Path) -> None:
    # Enough files for the run to keep a whole-run snapshot (see engine._snapshot).
    _project(root, helper_is_async=False)
    for number in range(120):
        (root / "app" / f"filler_{number:03d}.py").write_text(
            f"async def task_{number}():\n    return {number}\n"
        )


def test_snapshot_answers_an_unchanged_tree(tmp_path: Path) -> None:
    _large_project(tmp_path)
    cold = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "app/views.py:5:12: ASL101" in cold.stdout
    assert list((tmp_path / "cache").glob("results-*/snapshot.pickle"))
    warm = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert (warm.stdout, warm.returncode) == (cold.stdout, cold.returncode)


def test_snapshot_is_not_used_when_a_dependency_changed(tmp_path: Path) -> None:
    _large_project(tmp_path)
    assert "ASL101" in _asynclint("--cache-dir", "cache", ".", cwd=tmp_path).stdout
    helpers = tmp_path / "app/helpers.py"
    helpers.write_text("async def get_manager():\n    return None\n")
    assert _asynclint("--cache-dir", "cache", ".", cwd=tmp_path).stdout == ""
    helpers.write_text("def get_manager():\n    return None\n")
    again = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "app/views.py:5:12: ASL101" in again.stdout


def test_snapshot_is_not_used_when_the_files_differ(tmp_path: Path) -> None:
    _large_project(tmp_path)
    _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    (tmp_path / "app/late.py").write_text(
        "from app.helpers import get_manager\n\n\n"
        "async def late():\n    return await get_manager()\n"
    )
    warm = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "app/late.py:5:12: ASL101" in warm.stdout
    assert "app/views.py:5:12: ASL101" in warm.stdout


def test_subclass_method_turning_async_invalidates_the_base_class(
    tmp_path: Path,
) -> None:
    # `await self.fetch()` in the base is wrong only while no subclass
    # defines `async def fetch`; the subclass's file is edited, not the base.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(
        "class Base:\n    def fetch(self):\n        return 1\n\n"
        "    async def run(self):\n        return await self.fetch()\n"
    )
    child = (
        "from app.base import Base\n\n\nclass Child(Base):\n    {}def fetch(self):\n"
    )
    (package / "child.py").write_text(child.format("") + "        return 2\n")
    first = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert "app/base.py:6:16: ASL101" in first.stdout
    (package / "child.py").write_text(child.format("async ") + "        return 2\n")
    second = _asynclint("--cache-dir", "cache", ".", cwd=tmp_path)
    assert second.stdout == ""


def test_cache_is_keyed_by_asynclint_own_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Answers written by another build of asynclint (an edited checkout, a
    # reinstall over the same version) must not be read back.
    from asynclint import cache
    from asynclint.config import Settings

    settings = Settings(root=tmp_path)
    first = cache.Cache.open(tmp_path / "c", settings).directory
    assert cache.Cache.open(tmp_path / "c", settings).directory == first
    monkeypatch.setattr(cache, "_code_stamp", lambda: "another build")
    assert cache.Cache.open(tmp_path / "c", settings).directory != first


def test_cache_is_keyed_by_the_python_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cache shared by two interpreters: what one parses, the other may
    # report as a syntax error, so neither reads the other's answers.
    from asynclint import cache
    from asynclint.config import Settings

    settings = Settings(root=tmp_path)
    first = cache.Cache.open(tmp_path / "c", settings).directory
    monkeypatch.setattr(sys, "version_info", (3, 99, 0, "final", 0))
    assert cache.Cache.open(tmp_path / "c", settings).directory != first


def test_library_model_is_kept_and_rebuilt_when_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asynclint import library, run_setup
    from asynclint.config import Settings

    built = []
    original = library.build_model

    def counted(declarations: object) -> library.LibraryModel:
        built.append(declarations)
        return original(declarations)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "build_model", counted)
    settings = Settings(root=tmp_path, declarations={"blocking-calls": ["app.x"]})
    first = run_setup.library_model(settings, tmp_path / "keep")
    again = run_setup.library_model(settings, tmp_path / "keep")
    assert len(built) == 1
    assert again.function("app.x") == first.function("app.x") is not None
    (tmp_path / "keep" / "library.pickle").write_bytes(b"broken")
    run_setup.library_model(settings, tmp_path / "keep")
    assert len(built) == 2
