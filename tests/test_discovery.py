"""File selection: .gitignore, excludes, explicit files, links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asynclint.discovery import discover


def _tree(root: Path) -> None:
    for name in (
        "pkg/__init__.py",
        "pkg/core.py",
        "pkg/generated/out.py",
        "pkg/notes.txt",
        "build/skip.py",
        ".venv/lib.py",
        "vendor/thing.py",
        "tests/test_a.py",
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def _names(found: tuple[Path, ...], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in found]


def test_walk_honours_gitignore_and_skips_tool_directories(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n")
    found = discover([tmp_path], tmp_path, ())
    assert _names(found.files, tmp_path) == [
        "pkg/__init__.py",
        "pkg/core.py",
        "tests/test_a.py",
        "vendor/thing.py",
    ]


def test_nested_gitignore_applies_below_its_directory(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "pkg" / ".gitignore").write_text("core.py\n")
    found = discover([tmp_path], tmp_path, ())
    assert "pkg/core.py" not in _names(found.files, tmp_path)
    assert "pkg/__init__.py" in _names(found.files, tmp_path)


def test_config_excludes_use_gitignore_patterns(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover([tmp_path], tmp_path, ("vendor", "tests/*.py"))
    assert _names(found.files, tmp_path) == [
        "pkg/__init__.py",
        "pkg/core.py",
        "pkg/generated/out.py",
    ]


def test_explicit_files_are_always_checked(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / ".gitignore").write_text("vendor/\n")
    named = tmp_path / "vendor" / "thing.py"
    found = discover([named], tmp_path, ("vendor",))
    assert found.files == (named,)


def test_gitignore_can_be_turned_off(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / ".gitignore").write_text("generated/\n")
    found = discover([tmp_path], tmp_path, (), respect_gitignore=False)
    assert "pkg/generated/out.py" in _names(found.files, tmp_path)


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    found = discover([tmp_path / "nope"], tmp_path, ())
    assert found.files == ()
    assert found.missing == (tmp_path / "nope",)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_linked_directories_are_not_followed(tmp_path: Path) -> None:
    _tree(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = discover([tmp_path], tmp_path, ())
    names = _names(found.files, tmp_path)
    assert not any("secret" in name or "loop" in name for name in names)
    assert {p.name for p in found.skipped_links} == {"link", "loop"}
