"""The text scan of method definitions, kept between runs, answers as a
fresh scan would after any edit: files added, edited, removed, and
directories added or turned into packages."""

from __future__ import annotations

import os
from pathlib import Path

from asynclint import definition_scan


def _fresh(roots: tuple[Path, ...]) -> definition_scan.Definitions:
    definition_scan.forget()
    return definition_scan.definitions(roots, None)


def _kept(roots: tuple[Path, ...], store: Path) -> definition_scan.Definitions:
    definition_scan.forget()
    return definition_scan.definitions(roots, store)


def _age(root: Path) -> None:
    """Make every directory look settled (older than the walk's margin),
    so that its listing is kept."""
    old = 1_000_000_000_000_000_000  # 2001, in nanoseconds
    for directory, _, _ in os.walk(root):
        os.utime(directory, ns=(old, old))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_kept_scan_follows_every_kind_of_edit(tmp_path: Path) -> None:
    root = tmp_path / "src"
    _write(root / "app/__init__.py", "")
    _write(root / "app/a.py", "class A:\n    def fetch(self):\n        pass\n")
    _write(root / "app/b.py", "class B:\n    async def fetch(self):\n        pass\n")
    _write(root / "notes/readme.py", "class N:\n    def fetch(self):\n        pass\n")
    roots = (root,)
    store = tmp_path / "scan.pickle"
    _age(root)
    first = _kept(roots, store)
    assert first.definers("fetch", False) == [str(root / "app/a.py")]
    assert first.files == _fresh(roots).files

    # Edited, removed and added files; a plain folder becomes a package.
    _write(root / "app/a.py", "class A:\n    async def fetch(self):\n        pass\n")
    (root / "app/b.py").unlink()
    _write(root / "app/c.py", "class C:\n    def close(self):\n        pass\n")
    _write(root / "notes/__init__.py", "")
    _write(root / "app/sub/d.py", "class D:\n    def fetch(self):\n        pass\n")
    second = _kept(roots, store)
    fresh = _fresh(roots)
    assert second.files == fresh.files
    assert second.stats == fresh.stats
    assert second.definers("fetch", True) == [str(root / "app/a.py")]
    assert second.definers("fetch", False) == [
        str(root / "app/sub/d.py"),
        str(root / "notes/readme.py"),
    ]
    assert second.definers("close", False) == [str(root / "app/c.py")]
    # So few changes are not written back: the next scan reads them again.
    assert _kept(roots, store).files == fresh.files


def test_a_directory_listed_just_now_is_listed_again(tmp_path: Path) -> None:
    # A name added within the same mtime tick as the kept listing would not
    # change the directory's mtime: recent directories are never trusted.
    root = tmp_path / "src"
    _write(root / "app/__init__.py", "")
    _write(root / "app/a.py", "class A:\n    def fetch(self):\n        pass\n")
    store = tmp_path / "scan.pickle"
    _kept((root,), store)
    stat = (root / "app").stat()
    _write(root / "app/b.py", "class B:\n    def fetch(self):\n        pass\n")
    os.utime(root / "app", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    found = _kept((root,), store).definers("fetch", False)
    assert found == [str(root / "app/a.py"), str(root / "app/b.py")]


def test_a_broken_store_is_a_fresh_scan(tmp_path: Path) -> None:
    root = tmp_path / "src"
    _write(root / "app/__init__.py", "")
    _write(root / "app/a.py", "class A:\n    async def run(self):\n        pass\n")
    store = tmp_path / "scan.pickle"
    store.write_bytes(b"not a pickle")
    assert _kept((root,), store).definers("run", True) == [str(root / "app/a.py")]
