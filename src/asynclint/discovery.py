"""Which files a run checks: paths expanded, `.gitignore` and excludes applied."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    """The files to check (absolute, in `Path` order) and the paths that
    named nothing.

    The files are kept as strings: a warm run over 10,000s of files does
    little else per file than look it up, and making and printing a `Path`
    for each was a third of that.
    """

    names: tuple[str, ...]
    missing: tuple[Path, ...]
    skipped_links: tuple[Path, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(map(Path, self.names))


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
    excluded: pathspec.GitIgnoreSpec | None = None
    found: dict[str, None] = {}
    missing: list[Path] = []
    links: list[Path] = []
    for given in paths:
        path = given.absolute()
        if path.is_dir():
            if excluded is None:
                # Compiled for walks only: a run on named files (pre-commit)
                # does not import pathspec at all.
                from asynclint.ignore_patterns import compile_patterns

                excluded = compile_patterns(exclude)
            for file in _walk(path, root, excluded, respect_gitignore, links):
                found[file] = None
        elif path.exists() or path.is_symlink():
            found[str(path)] = None
        else:
            missing.append(given)
    # Sorted as `Path` sorts (by parts), on strings: much faster.
    ordered = sorted(found, key=path_order)
    return Discovered(tuple(ordered), tuple(missing), tuple(links))


def _compiled(lines: list[str], source: str) -> pathspec.GitIgnoreSpec:
    from asynclint.ignore_patterns import compile_gitignore

    return compile_gitignore(lines, source)


def path_order(name: str) -> list[str]:
    """The sort key that orders absolute path strings as `Path` objects
    sort (by parts), without making a `Path` for each."""
    return name.split(os.sep)


def _relative(path: str, base: str) -> str | None:
    """`path` relative to `base` (both absolute strings), or None if outside."""
    if path == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    return relative if os.sep == "/" else relative.replace(os.sep, "/")


Ignores = list[tuple[str, "pathspec.GitIgnoreSpec"]]


def _walk(
    top: Path,
    root: Path,
    excluded: pathspec.GitIgnoreSpec,
    respect_gitignore: bool,
    links: list[Path],
) -> Iterator[str]:
    ignores: Ignores = []
    if respect_gitignore:
        for parent in reversed([top, *top.parents]):
            if (parent / ".git").exists() and parent != top:
                ignores = []  # a repository boundary: outer ignores stop here
            lines = _gitignore_lines(parent)
            if lines and parent != top:
                spec = _compiled(lines, str(parent / ".gitignore"))
                ignores.append((str(parent), spec))
    walker = _Walker(str(root), excluded, respect_gitignore, links)
    yield from walker.walk(str(top), ignores)


def _ignored(path: str, is_dir: bool, ignores: Ignores) -> bool:
    for base, spec in ignores:
        relative = _relative(path, base)
        if relative is None:
            continue
        if spec.match_file(relative + ("/" if is_dir else "")):
            return True
    return False


class _Walker:
    """A directory walk on plain strings: pathlib is too slow for 10,000s of
    entries, and this runs on every invocation, warm or cold."""

    def __init__(
        self,
        root: str,
        excluded: pathspec.GitIgnoreSpec,
        respect_gitignore: bool,
        links: list[Path],
    ) -> None:
        self.root = root
        self.excluded = excluded
        self.has_excludes = bool(excluded.patterns)
        self.respect_gitignore = respect_gitignore
        self.links = links

    def walk(self, directory: str, ignores: Ignores) -> Iterator[str]:
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            return
        if self.respect_gitignore:
            lines = _gitignore_lines(Path(directory))
            if lines:
                source = os.path.join(directory, ".gitignore")
                ignores = [*ignores, (directory, _compiled(lines, source))]
        for entry in entries:
            name = entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_link and os.path.isdir(entry.path):
                self.links.append(Path(entry.path))
                continue
            if not is_dir and not name.endswith(".py"):
                continue
            if is_dir and (name in _ALWAYS_SKIPPED or name.endswith(".egg-info")):
                continue
            if self.has_excludes:
                relative = _relative(entry.path, self.root)
                suffix = "/" if is_dir else ""
                if relative is not None and self.excluded.match_file(relative + suffix):
                    continue
            if ignores and _ignored(entry.path, is_dir, ignores):
                continue
            if is_dir:
                yield from self.walk(entry.path, ignores)
            else:
                yield entry.path
