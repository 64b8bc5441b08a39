"""Which files a run checks: paths expanded, `.gitignore` and excludes applied."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

_ALWAYS_SKIPPED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".asynclint_cache",
        "node_modules",
        "site-packages",
        "build",
        "dist",
    }
)


@dataclass(frozen=True, slots=True)
class Discovered:
    """The files to check and the paths that named nothing."""

    files: tuple[Path, ...]
    missing: tuple[Path, ...]
    skipped_links: tuple[Path, ...] = ()


def _spec(patterns: Sequence[str]) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitwildmatch", patterns)


def _gitignore_lines(directory: Path) -> list[str]:
    path = directory / ".gitignore"
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def discover(
    paths: Sequence[Path],
    root: Path,
    exclude: Sequence[str],
    respect_gitignore: bool = True,
) -> Discovered:
    """Expand `paths` into Python files, sorted and without duplicates.

    Files named explicitly are always checked; directories are walked,
    skipping what `.gitignore` files (read per directory, as git does) and
    the config's exclude patterns (relative to `root`) leave out. Symbolic
    links to directories are not followed, so a walk never leaves the tree
    or loops.
    """
    root = root.absolute()
    excluded = _spec(exclude)
    found: dict[Path, None] = {}
    missing: list[Path] = []
    links: list[Path] = []
    for given in paths:
        path = given.absolute()
        if path.is_dir():
            for file in _walk(path, root, excluded, respect_gitignore, links):
                found[file] = None
        elif path.exists() or path.is_symlink():
            found[path] = None
        else:
            missing.append(given)
    return Discovered(tuple(sorted(found)), tuple(missing), tuple(links))


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _walk(
    top: Path,
    root: Path,
    excluded: pathspec.PathSpec,
    respect_gitignore: bool,
    links: list[Path],
) -> Iterator[Path]:
    ignores: list[tuple[Path, pathspec.PathSpec]] = []
    if respect_gitignore:
        for parent in reversed([top, *top.parents]):
            lines = _gitignore_lines(parent)
            if lines:
                ignores.append((parent, _spec(lines)))
            if (parent / ".git").exists() and parent != top:
                ignores = [(p, s) for p, s in ignores if p == parent or parent in p.parents]
    yield from _walk_dir(top, root, excluded, ignores, respect_gitignore, links)


def _ignored(path: Path, is_dir: bool, ignores: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    for base, spec in ignores:
        relative = _relative(path, base)
        if relative is None:
            continue
        if spec.match_file(relative + ("/" if is_dir else "")):
            return True
    return False


def _walk_dir(
    directory: Path,
    root: Path,
    excluded: pathspec.PathSpec,
    ignores: list[tuple[Path, pathspec.PathSpec]],
    respect_gitignore: bool,
    links: list[Path],
) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    local = ignores
    if respect_gitignore and directory not in {p for p, _ in ignores}:
        lines = _gitignore_lines(directory)
        if lines:
            local = [*ignores, (directory, _spec(lines))]
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
        except OSError:
            continue
        if is_link and path.is_dir():
            links.append(path)
            continue
        relative = _relative(path, root)
        if relative is not None and excluded.match_file(relative + ("/" if is_dir else "")):
            continue
        if is_dir:
            if entry.name in _ALWAYS_SKIPPED or entry.name.endswith(".egg-info"):
                continue
            if local and _ignored(path, True, local):
                continue
            yield from _walk_dir(path, root, excluded, local, respect_gitignore, links)
        elif entry.name.endswith((".py", ".pyi")) and not entry.name.endswith(".pyi"):
            if local and _ignored(path, False, local):
                continue
            yield path
