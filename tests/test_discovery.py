"""File selection: .gitignore, excludes, explicit files, links."""

from __future__ import annotations

import os
import shutil
import subprocess
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


# What git (2.39, `git status --ignored`) makes of lines the pathspec library
# cannot compile: a '!' that negates nothing and a pattern ending in a lone
# backslash never match, and in a bracket expression a range that runs
# backwards matches nothing while its first character still counts on its
# own, as every character before a '-' does (`[b-a-c]` is b, '-' and c).
GIT_READS = [
    ("!", []),
    ("x\\", []),
    ("\\", []),
    ("!x\\", []),
    ("[z-a].py", ["z.py"]),
    ("a[z-a]b.py", ["azb.py"]),
    ("[az-b].py", ["a.py", "z.py"]),
    ("[b-a-c].py", ["-.py", "b.py", "c.py"]),
    ("[\\z-a].py", ["z.py"]),
    ("[a-\\z].py", ["a.py", "b.py", "c.py", "x.py", "z.py"]),
]
_STEMS = ["a", "b", "c", "x", "z", "-", "!", "]", "azb", "abb", "x\\"]


def _stems_tree(root: Path) -> list[str]:
    (root / ".git").mkdir()
    names = []
    for directory in ("", "sub/"):
        for stem in _STEMS:
            path = root / f"{directory}{stem}.py"
            path.parent.mkdir(exist_ok=True)
            path.write_text("x = 1\n")
            names.append(f"{directory}{stem}.py")
    return sorted(names)


@pytest.mark.parametrize(("line", "ignored"), GIT_READS, ids=[g[0] for g in GIT_READS])
@pytest.mark.parametrize("where", ["", "sub/"], ids=["top", "subdirectory"])
def test_gitignore_lines_read_as_git_reads_them(
    tmp_path: Path, line: str, ignored: list[str], where: str
) -> None:
    names = _stems_tree(tmp_path)
    (tmp_path / where / ".gitignore").write_text(f"*.log\n{line}\nabb.py\n")

    found = _names(discover([tmp_path], tmp_path, ()).files, tmp_path)

    dropped = {f"{d}{n}" for d in ("sub/", where) for n in [*ignored, "abb.py"]}
    assert found == [name for name in names if name not in dropped]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(("line", "ignored"), GIT_READS, ids=[g[0] for g in GIT_READS])
def test_gitignore_lines_agree_with_git(
    tmp_path: Path, line: str, ignored: list[str]
) -> None:
    names = _stems_tree(tmp_path)
    (tmp_path / ".git").rmdir()
    (tmp_path / ".gitignore").write_text(f"{line}\n")
    (tmp_path / "sub" / ".gitignore").write_text(f"{line}\n")
    # No user or system config: a global excludes file would change the answer.
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)

    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        env=env,
    ).stdout.decode()

    kept = sorted(n for n in listed.split("\0") if n.endswith(".py"))
    assert kept == [n for n in names if n.removeprefix("sub/") not in ignored]
    assert _names(discover([tmp_path], tmp_path, ()).files, tmp_path) == kept
