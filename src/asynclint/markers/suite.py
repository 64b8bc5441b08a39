"""The plugins a test suite's own imports prove installed.

A test module or conftest.py that imports a package at its top level
cannot even be collected where the package is missing, so wherever the
suite runs, the distribution that ships the package is installed, and
pytest loads the plugin that distribution registers. anyio arrives that way
as a dependency of httpx: the tests `import anyio` without declaring it.

Only imports that always run count: a module's own top-level `import`
statements (not those under `if TYPE_CHECKING`, `try` or in a function),
absolute ones, naming a package the project does not hold itself (a
`tests/anyio.py` or the project's own `src/anyio` is what such an import
finds). The suite is what a plain `pytest` from the config's directory
collects: the `testpaths` (else that directory), without the
`norecursedirs` and virtual environments, the files `python_files`
matches and every conftest.py.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from asynclint.markers.configs import PytestConfig
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.plugins import Plugin
from asynclint.markers.project import Project

# pytest's defaults for `norecursedirs` and `python_files`.
_NORECURSEDIRS = (
    "*.egg",
    ".*",
    "_darcs",
    "build",
    "CVS",
    "dist",
    "node_modules",
    "venv",
    "{arch}",
)
_PYTHON_FILES = ("test_*.py", "*_test.py")
_GLOB = re.compile(r"[*?[]")


def suite_plugins(
    project: Project,
    base: Path,
    config: PytestConfig | None,
    absent: Collection[Plugin],
) -> frozenset[str]:
    """Those of the `absent` plugins whose packages the suite under `base`
    imports: it reads a file only when its text may hold such an import."""
    owners = {package: p.distribution for p in absent for package in p.packages}
    if not owners:
        return frozenset()
    names = b"|".join(re.escape(package.encode()) for package in owners)
    import_line = re.compile(
        rb"^(?:\xef\xbb\xbf)?(?:import|from)[ \t][^\n]*\b(?:" + names + rb")\b",
        re.MULTILINE,
    )
    found: set[str] = set()
    for path in suite_files(base, config):
        facts = project.held(path) or _read(project, path, import_line)
        if facts is not None:
            found.update(imported_plugins(project, base, path, facts, owners))
        if len(found) == len(set(owners.values())):
            break
    return frozenset(found)


def imported_plugins(
    project: Project,
    base: Path,
    path: Path,
    facts: MarkerFacts,
    owners: dict[str, str],
) -> Iterator[str]:
    """The distributions among `owners`' values that `path` imports."""
    for package in facts.imports:
        if package in owners and not _local(project, base, path, package):
            yield owners[package]


def suite_files(base: Path, config: PytestConfig | None) -> Iterator[Path]:
    """The test modules and conftest.py files a `pytest` run from `base`
    collects, in a stable order."""
    settings = config.settings if config is not None else {}
    patterns = settings.get("python_files", "").split() or _PYTHON_FILES
    skipped = settings.get("norecursedirs", "").split() or _NORECURSEDIRS
    starts = _starts(base, settings.get("testpaths", "").split())
    seen: set[Path] = set()
    if (base / "conftest.py").is_file():
        seen.add(base / "conftest.py")
        yield base / "conftest.py"
    for start in starts:
        if start.is_dir() and _skipped(start, skipped):
            continue
        for path in _walk(start, patterns, skipped):
            if path not in seen:
                seen.add(path)
                yield path


def _starts(base: Path, testpaths: list[str]) -> list[Path]:
    starts: list[Path] = []
    for entry in testpaths:
        if _GLOB.search(entry):
            starts += sorted(base.glob(entry))
        elif (base / entry).exists():
            starts.append(base / entry)
    return starts or [base]


def _walk(
    start: Path, patterns: Iterable[str], skipped: Iterable[str]
) -> Iterator[Path]:
    if start.is_file():
        yield start
        return
    for directory, subdirectories, files in os.walk(start):
        here = Path(directory)
        subdirectories[:] = sorted(
            name for name in subdirectories if not _skipped(here / name, skipped)
        )
        for name in sorted(files):
            path = here / name
            if name == "conftest.py" or (
                name.endswith(".py") and any(_matches(p, path) for p in patterns)
            ):
                yield path


def _skipped(directory: Path, patterns: Iterable[str]) -> bool:
    """Whether pytest leaves `directory` out: `norecursedirs`, or a
    virtual environment."""
    if any(_matches(p, directory) for p in patterns):
        return True
    venv = (directory / "pyvenv.cfg").is_file()
    return venv or (directory / "conda-meta" / "history").is_file()


def _matches(pattern: str, path: Path) -> bool:
    """pytest's matching of these options: a pattern without a separator
    is matched against the name, one with a separator against the path."""
    if "/" not in pattern:
        return fnmatch.fnmatch(path.name, pattern)
    return fnmatch.fnmatch(path.as_posix(), f"*/{pattern}")


def _read(
    project: Project, path: Path, import_line: re.Pattern[bytes]
) -> MarkerFacts | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return project.python(path) if import_line.search(data) else None


def _local(project: Project, base: Path, path: Path, package: str) -> bool:
    """Whether `import package` in `path` may find the project's own module:
    beside the directory pytest puts on sys.path for it, in the config's
    directory, at the project root or in its `src`."""
    places = {_import_root(path), base, project.root, project.root / "src"}
    return any(
        (place / f"{package}.py").is_file()
        or (place / package / "__init__.py").is_file()
        for place in places
    )


def _import_root(path: Path) -> Path:
    """The first directory above `path` without an `__init__.py`, which
    pytest's default import mode puts on sys.path."""
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory
