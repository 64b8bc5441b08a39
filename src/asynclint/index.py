"""The project index: which file holds a module, and that module's summary.

Summaries are built lazily, the first time a resolution needs a module, so
a run over a few files reads only those files and what they import.
"""

from __future__ import annotations

import ast
import logging
import os
import sys
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import outlines
from asynclint.attribute_stores import may_store_in_expressions
from asynclint.summary import ModuleSummary, summarize

if TYPE_CHECKING:
    from asynclint.override_answers import Answer, Key

logger = logging.getLogger(__name__)


def module_name_for(path: Path) -> tuple[str, Path, bool]:
    """The dotted name of the module at `path`, its import root, and whether
    it is a package (`__init__.py`).

    The name is made of the enclosing directories that are packages (hold an
    `__init__.py`); the first directory that is not one is the import root,
    which is how Python finds the module when that root is on `sys.path`.
    """
    path = path.absolute()
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    directory = path.parent
    while _in_package(directory):
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts), directory, is_package


def _in_package(directory: Path) -> bool:
    """Whether `directory` is part of a dotted module name: a package (it
    holds `__init__.py`), or a directory without one right inside a package,
    which Python imports as a namespace package (`pkg/sub/` in `pkg.sub.m`).

    A directory without `__init__.py` under another such directory is taken
    as an import root, not followed upwards: telling a namespace package
    from a plain folder of scripts would take guessing.
    """
    if directory.parent == directory:
        return False
    inside = os.path.isfile(os.path.join(directory.parent, "__init__.py"))
    package = os.path.isfile(os.path.join(directory, "__init__.py"))
    return module_directory(directory.name, package, inside)


def is_import_root(directory: Path) -> bool:
    """Whether `directory` is a place imports resolve from, as
    `import_roots` finds them: a directory that is no part of a package."""
    return directory.is_dir() and not _in_package(directory)


def module_directory(name: str, is_package: bool, inside_package: bool) -> bool:
    """`_in_package` for a directory called `name`, given whether it and
    its parent hold `__init__.py`: for walks over whole trees, which know
    that from their listings (definition_scan.py)."""
    return is_package or (inside_package and name.isidentifier())


def read_source(path: Path) -> str:
    """Read a Python file the way the interpreter would decode it."""
    data = path.read_bytes()
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """Decode source bytes honouring a BOM or a PEP 263 coding cookie."""
    import io
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def parse(source: str, filename: str) -> ast.Module:
    """Parse with the standard library, silencing syntax warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=filename, type_comments=False)


def _lines(summary: ModuleSummary) -> int:
    body = summary.tree.body
    return (body[-1].end_lineno or 1) if body else 1


def _note_text(summary: ModuleSummary, source: str) -> None:
    """What the summary keeps of its module's text, so that walks of the
    tree can be skipped where the text rules them out."""
    summary.all_spellings = source.count("__all__")
    summary.expression_stores = may_store_in_expressions(source)


def _source_key(source: str) -> tuple[int, int]:
    return len(source), hash(source)


def import_roots(
    files: Iterable[Path], project_root: Path, known: Iterable[Path] = ()
) -> list[Path]:
    """Where imports resolve from, in a fixed order: the project root, its
    `src/`, then the import root of every given file and every `known`
    root, sorted.

    The order depends only on the files, never on which process saw which
    file first, so every worker resolves a name to the same module.
    """
    roots: dict[Path, None] = {project_root.absolute(): None}
    source = project_root.absolute() / "src"
    if source.is_dir():
        roots[source] = None
    package_dirs: dict[Path, Path] = {}
    found = set()
    for file in files:
        directory = file.absolute().parent
        chain = []
        while directory not in package_dirs:
            if not _in_package(directory):
                package_dirs[directory] = directory
                break
            chain.append(directory)
            directory = directory.parent
        root = package_dirs[directory]
        for step in chain:
            package_dirs[step] = root
        found.add(root)
    found.update(known)
    for root in sorted(found):
        roots.setdefault(root, None)
    return list(roots)


# How much a process keeps, in source lines of summarised modules. A summary
# holds its module's syntax tree, about 1.2 KB per line (measured on Home
# Assistant), so this bounds a worker near 300 MB. On the 9,000-file
# benchmark corpus the modules most files import (Home Assistant's core and
# helpers, 70,000 lines) stay in, and the rest is reused while the files
# that import it are near each other in path order.
_MAX_KEPT_LINES = 250_000


class ProjectIndex:
    """Maps module names to files under the import roots, and caches summaries."""

    def __init__(self, roots: Iterable[Path] = ()) -> None:
        self.roots: list[Path] = []
        # Most recently used last; bounded by `_MAX_KEPT_LINES`, since each
        # summary holds a whole syntax tree (see `_remember`).
        self._summaries: OrderedDict[Path, ModuleSummary | None] = OrderedDict()
        self._module_paths: dict[str, Path | None] = {}
        self._overrides: dict[Path, str] = {}
        self._imported: set[Path] = set()
        # Summaries dropped while a file was being checked: inference may
        # still hold their parts, so they are disposed of between files.
        self._retired: list[ModuleSummary] = []
        # What each kept summary was built from, so that a checked file
        # can reuse the summary an import made of the same text.
        self._sources: dict[Path, tuple[int, int]] = {}
        self._packages: dict[str, str] = {}
        self._root_names: dict[Path, frozenset[str]] = {}
        self._kept_lines = 0
        # Answers worked out from the summaries (overrides.py), forgotten
        # whenever a source is overridden, and the structure digest of each
        # kept summary (override_answers.py), forgotten with the summary.
        self.override_answers: dict[Key, Answer] = {}
        self.structures: dict[Path, str] = {}
        for root in roots:
            self.add_root(root)

    def add_root(self, root: Path) -> None:
        root = root.absolute()
        if root not in self.roots:
            self.roots.append(root)
            self._module_paths.clear()

    def override(self, path: Path, source: str) -> None:
        """Use `source` instead of the file's text (stdin, or a fix round)."""
        path = path.absolute()
        self._overrides[path] = source
        self._retire(self._summaries.pop(path, None))
        self.override_answers.clear()

    def forget(self, path: Path) -> None:
        """Drop the summary kept for `path`: it may be of a text a fix round
        tried and refused, which other files must not see (it is read again
        when needed)."""
        self._retire(self._summaries.pop(path.absolute(), None))

    @property
    def reads_disk_only(self) -> bool:
        """Whether every summary comes from the files as they are on disk
        (no source overridden), so answers may be kept between runs."""
        return not self._overrides

    def find_module(self, name: str) -> Path | None:
        """The file that defines module `name`, searching each import root."""
        if name in self._module_paths:
            return self._module_paths[name]
        found: Path | None = None
        top = name.partition(".")[0]
        # A module built into the interpreter (`time`, `sys`) is imported
        # before sys.path is searched: a project file of that name is not it.
        if name and top not in sys.builtin_module_names:
            relative = Path(*name.split("."))
            for root in self.roots:
                if not self._may_hold(root, top):
                    continue
                for candidate in (
                    root / relative.with_suffix(".py"),
                    root / relative / "__init__.py",
                ):
                    if os.path.isfile(candidate):
                        found = candidate
                        break
                if found:
                    break
        self._module_paths[name] = found
        return found

    def _may_hold(self, root: Path, top: str) -> bool:
        """Whether `root` has an entry for the top-level name `top` (one
        listing per root: most names looked up, the standard library's and
        other installed packages', are under no root)."""
        names = self._root_names.get(root)
        if names is None:
            try:
                names = frozenset(os.listdir(root))
            except OSError:
                names = frozenset()
            self._root_names[root] = names
        return top in names or f"{top}.py" in names

    def is_namespace_package(self, name: str) -> bool:
        """Whether `name` is a directory without `__init__.py` inside a
        project package (see `_in_package`): importable, with no file."""
        relative = Path(*name.split("."))
        top = name.partition(".")[0]
        return any(
            self._may_hold(root, top)
            and (root / relative).is_dir()
            and _in_package(root / relative)
            for root in self.roots
        )

    def summary_for_path(self, path: Path) -> ModuleSummary | None:
        """The summary of the file at `path`, or None if it cannot be parsed."""
        path = path.absolute()
        if path in self._summaries:
            self._summaries.move_to_end(path)
            return self._summaries[path]
        summary: ModuleSummary | None = None
        try:
            source = self._overrides.get(path)
            data = None
            if source is None:
                data = path.read_bytes()
                source = decode_source(data)
                deferred = outlines.lookup(path, data)
                if deferred:
                    try:
                        summary = self._skeleton(path, source, deferred)
                    except (SyntaxError, ValueError, IndexError):
                        summary = None  # an outline out of step: parse whole
            if summary is None:
                tree = parse(source, str(path))
                summary = self.summarize_tree(path, tree, source, data)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as error:
            logger.debug("cannot summarise %s: %s", path, error)
        else:
            self._sources[path] = _source_key(source)
        self._remember(path, summary)
        return summary

    def _skeleton(
        self, path: Path, source: str, deferred: dict[int, outlines.Deferred]
    ) -> ModuleSummary:
        """The summary of an unchanged module with the bodies its outline
        lists left out until read (outlines.py)."""
        tree = parse(outlines.skeleton(source, deferred), str(path))
        outlines.restore_ends(tree, deferred)
        name, is_package = self._module_name(path)
        summary = summarize(tree, name, path, is_package, deferred)
        summary.lazy_source = source.split("\n")
        _note_text(summary, source)
        return summary

    def loaded(self, path: Path) -> ModuleSummary | None:
        """The summary kept for `path`, if any (nothing is read or parsed)."""
        return self._summaries.get(path.absolute())

    def cached(self, path: Path, source: str) -> ModuleSummary | None:
        """The summary already built for `path` from exactly `source`, if
        any (nothing is read or parsed)."""
        path = path.absolute()
        summary = self._summaries.get(path)
        if summary is None or self._sources.get(path) != _source_key(source):
            return None
        if summary.lazy_source is not None:
            return None  # a checked file's every body is read: parse it whole
        return summary

    def summarize_tree(
        self,
        path: Path,
        tree: ast.Module,
        source: str | None = None,
        data: bytes | None = None,
    ) -> ModuleSummary:
        """Summarise an already parsed module (parsed from `source`, when
        given, which is the file's text `data` unless overridden) and
        remember it; its outline is kept for later runs when it can be."""
        path = path.absolute()
        name, is_package = self._module_name(path)
        summary = summarize(tree, name, path, is_package)
        if source is not None:
            _note_text(summary, source)
            if data is not None and outlines.keeping() and path not in self._overrides:
                outlines.add(path, data, outlines.outline_of(summary, source))
        self._remember(path, summary)
        return summary

    def _module_name(self, path: Path) -> tuple[str, bool]:
        """`module_name_for`, with each directory's package name looked up
        once (it costs a `stat` per enclosing directory)."""
        directory = str(path.parent)
        package = self._packages.get(directory)
        if package is None:
            name, _root, _ = module_name_for(path.parent / "__init__.py")
            package = self._packages[directory] = name
        if path.name == "__init__.py":
            return package, True
        return (f"{package}.{path.stem}" if package else path.stem), False

    def _remember(self, path: Path, summary: ModuleSummary | None) -> None:
        """Keep a summary, dropping the least recently used beyond the bound.

        Files are checked in path order, so the modules a stretch of files
        imports are reused while they are near; a dropped one is parsed
        again if needed. This keeps a worker's memory flat on big trees.
        """
        previous = self._summaries.get(path)
        if previous is not summary:
            self._retire(previous)
            if summary is not None:
                self._kept_lines += _lines(summary)
        self._summaries[path] = summary
        self._summaries.move_to_end(path)
        while self._kept_lines > _MAX_KEPT_LINES and len(self._summaries) > 1:
            self._retire(self._summaries.popitem(last=False)[1])

    def _retire(self, summary: ModuleSummary | None) -> None:
        if summary is not None:
            self._kept_lines -= _lines(summary)
            self._sources.pop(summary.path, None)
            self.structures.pop(summary.path, None)
            self._retired.append(summary)

    def clear(self) -> None:
        """Forget and dispose of every summary (the run is over)."""
        while self._summaries:
            self._retire(self._summaries.popitem()[1])
        self.dispose_retired()

    def dispose_retired(self) -> None:
        """Free the summaries dropped since the last call.

        Call only between files, when no inference is alive: a retired
        summary's functions and classes stop answering once disposed.
        """
        for summary in self._retired:
            summary.dispose()
        self._retired.clear()

    def summary(self, module: str) -> ModuleSummary | None:
        """The summary of module `module`, if it is part of the project."""
        path = self.find_module(module)
        if path is None:
            return None
        self._imported.add(path.absolute())
        return self.summary_for_path(path)

    def release(self, path: Path) -> None:
        """Forget a checked file's summary unless some module imported it.

        A summary holds the file's whole syntax tree; keeping every checked
        file's would grow a worker's memory with the size of the tree. One
        that is imported later is simply parsed again.
        """
        path = path.absolute()
        if path not in self._imported:
            self._retire(self._summaries.pop(path, None))

    def loaded_paths(self) -> list[Path]:
        """Every file whose summary was needed so far (dependencies)."""
        return [path for path in self._summaries]
