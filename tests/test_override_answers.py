"""Subclass answers (overrides.py) kept for a run and between runs.

`await self.fetch()` in a base class is wrong only while no subclass
redefines `fetch` as `async def`. Those answers are kept in the cache
directory; each test edits the tree between runs and checks that a kept
answer is used exactly while what it was computed from is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint import override_answers
from asynclint.cli import main

BASE = (
    "class Base:\n"
    "    def fetch(self):\n"
    "        return 1\n"
    "\n"
    "    async def run(self):\n"
    "        return await self.fetch()\n"
)
CHILD = "from app.base import Base\n\n\nclass Child(Base):\n    {}def fetch(self):\n"
FINDING = "app/base.py:6:16: ASL101"


def _project(root: Path, child_is_async: bool | None) -> None:
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n')
    package = root / "app"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(BASE)
    if child_is_async is not None:
        keyword = "async " if child_is_async else ""
        (package / "child.py").write_text(CHILD.format(keyword) + "        return 2\n")


class Counting:
    """Counts the answers worked out (not taken from the store)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.worked_out = 0
        from asynclint import overrides

        original = overrides._work_out

        def counted(*args: object, **kwargs: object) -> override_answers.Answer:
            self.worked_out += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(overrides, "_work_out", counted)


def _check(root: Path, monkeypatch: pytest.MonkeyPatch, *paths: str) -> str:
    monkeypatch.chdir(root)
    argv = ["--cache-dir", str(root / "cache"), *(paths or ["."])]
    return CliRunner().invoke(main, argv, catch_exceptions=False).output


def test_an_edited_file_reuses_the_kept_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, child_is_async=False)
    counting = Counting(monkeypatch)
    first = _check(tmp_path, monkeypatch, "app/base.py")
    assert FINDING in first
    assert counting.worked_out == 1
    # A pre-commit run on the edited base: a comment and a new statement
    # in a function body leave the class's structure as it was.
    edited = BASE.replace("return 1", "value = 1  # edited\n        return value")
    (tmp_path / "app/base.py").write_text(edited)
    second = _check(tmp_path, monkeypatch, "app/base.py")
    assert "app/base.py:7:16: ASL101" in second
    assert counting.worked_out == 1


def test_an_edited_file_the_run_has_not_read_is_read_for_its_structure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The class defining `async def fetch` derives from nothing of ours,
    # so the answer is "not overridden"; its file is one the answer was
    # computed from. After a comment is added to that file, a run on the
    # base alone (which never checks it) still finds its structure as it
    # was, by reading it, instead of working the answer out again.
    _project(tmp_path, child_is_async=None)
    other = "class Other:\n    async def fetch(self):\n        return 2\n"
    (tmp_path / "app/other.py").write_text(other)
    counting = Counting(monkeypatch)
    assert FINDING in _check(tmp_path, monkeypatch, "app/base.py")
    assert counting.worked_out == 1
    (tmp_path / "app/other.py").write_text(other + "# edited\n")
    assert FINDING in _check(tmp_path, monkeypatch, "app/base.py")
    assert counting.worked_out == 1
    # A real change to its structure is still seen.
    (tmp_path / "app/other.py").write_text(other.replace("Other:", "Other(dict):"))
    assert FINDING in _check(tmp_path, monkeypatch, "app/base.py")
    assert counting.worked_out == 2


def test_a_subclass_turning_async_is_seen_by_an_edited_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, child_is_async=False)
    assert FINDING in _check(tmp_path, monkeypatch, "app/base.py")
    (tmp_path / "app/child.py").write_text(
        CHILD.format("async ") + "        return 2\n"
    )
    (tmp_path / "app/base.py").write_text(BASE + "# edited\n")
    assert FINDING not in _check(tmp_path, monkeypatch, "app/base.py")


def test_a_new_file_with_an_overriding_subclass_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No file defined `async def fetch` when the answer was kept: the new
    # one changes the list of such files, so the answer is worked out again.
    _project(tmp_path, child_is_async=None)
    assert FINDING in _check(tmp_path, monkeypatch, "app/base.py")
    (tmp_path / "app/child.py").write_text(
        CHILD.format("async ") + "        return 2\n"
    )
    (tmp_path / "app/base.py").write_text(BASE + "# edited\n")
    assert FINDING not in _check(tmp_path, monkeypatch, "app/base.py")


def test_a_changed_base_list_is_not_taken_for_the_same_structure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The subclass stops deriving from Base: its file's structure changed,
    # so its stamp and digest both differ and the answer is worked out again.
    _project(tmp_path, child_is_async=True)
    assert FINDING not in _check(tmp_path, monkeypatch, "app/base.py")
    child = (tmp_path / "app/child.py").read_text()
    (tmp_path / "app/child.py").write_text(child.replace("(Base)", "(object)"))
    counting = Counting(monkeypatch)
    assert FINDING in _check(tmp_path, monkeypatch, "app/base.py", "app/child.py")
    assert counting.worked_out == 1


def test_an_answer_read_through_a_function_body_needs_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The subclass's base comes from a call: the answer read a function
    # body, so an edit to that body (not to any class) must count. The
    # subclass's file is checked first, so the factory is summarised (it
    # imports it) when the edited base asks its question.
    _project(tmp_path, child_is_async=None)
    factory = "from app.base import Base\n\n\ndef base_class():\n    return {}\n"
    (tmp_path / "app/factory.py").write_text(factory.format("Base"))
    (tmp_path / "app/a_child.py").write_text(
        "from app.factory import base_class\n\n\n"
        "class Child(base_class()):\n    async def fetch(self):\n        return 2\n"
    )
    files = ("app/a_child.py", "app/base.py", "app/factory.py")
    _check(tmp_path, monkeypatch, *files)
    (tmp_path / "app/factory.py").write_text(factory.format("object"))
    (tmp_path / "app/base.py").write_text(BASE + "# edited\n")
    counting = Counting(monkeypatch)
    _check(tmp_path, monkeypatch, *files)
    assert counting.worked_out == 1


def test_no_answer_is_kept_without_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, child_is_async=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--no-cache", "."], catch_exceptions=False)
    assert FINDING in result.output
    assert not list(tmp_path.rglob("overrides.pickle"))


def test_a_star_export_dropped_from_all_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `__all__ += [...]` is no binding of its own, yet decides what a star
    # import of its module binds: dropping `Base` from it leaves `Parent`
    # unknown, so the base class's `await self.fetch()` is wrong again.
    _project(tmp_path, child_is_async=None)
    exports = "from app.base import Base\n\n__all__ = []\n__all__ += [{}]\n"
    (tmp_path / "app/exports.py").write_text(exports.format('"Base"'))
    (tmp_path / "app/star.py").write_text("from app.exports import *\n")
    (tmp_path / "app/a_child.py").write_text(
        "from app.star import Base as Parent\n\n\n"
        "class Child(Parent):\n    async def fetch(self):\n        return 2\n"
    )
    files = ("app/a_child.py", "app/base.py")
    assert FINDING not in _check(tmp_path, monkeypatch, *files)
    (tmp_path / "app/exports.py").write_text(exports.format(""))
    (tmp_path / "app/base.py").write_text(BASE + "# edited\n")
    assert FINDING in _check(tmp_path, monkeypatch, *files)


def test_a_run_on_one_file_knows_the_roots_of_the_whole_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two import roots: the subclass lives under the other one. A check of
    # the base's file alone finds only its own root; after a run over the
    # tree it uses that run's roots too, and agrees with it.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mono"\n')
    base = tmp_path / "libs/a/src/a"
    base.mkdir(parents=True)
    (base / "__init__.py").write_text("")
    (base / "base.py").write_text(BASE)
    child = tmp_path / "libs/b/src/b"
    child.mkdir(parents=True)
    (child / "__init__.py").write_text("")
    (child / "child.py").write_text(
        "from a.base import Base\n\n\nclass Child(Base):\n"
        "    async def fetch(self):\n        return 2\n"
    )
    finding = "libs/a/src/a/base.py:6:16: ASL101"
    monkeypatch.chdir(tmp_path)
    alone = ["--no-cache", "libs/a/src/a/base.py"]
    assert finding in CliRunner().invoke(main, alone).output  # only one root
    assert finding not in _check(tmp_path, monkeypatch)
    (base / "base.py").write_text(BASE + "# edited, as a commit would\n")
    assert finding not in _check(tmp_path, monkeypatch, "libs/a/src/a/base.py")


def test_a_new_subclass_file_clears_an_unedited_files_cached_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base's file is not edited: its cached finding assumed that no
    # file defines `async def fetch`, and the new file breaks that.
    _project(tmp_path, child_is_async=None)
    assert FINDING in _check(tmp_path, monkeypatch)
    (tmp_path / "app/child.py").write_text(
        CHILD.format("async ") + "        return 2\n"
    )
    assert FINDING not in _check(tmp_path, monkeypatch)
    assert FINDING not in _check(tmp_path, monkeypatch, "app/base.py")
