"""Assemble the benchmark corpus: the Python files of real async projects.

Each project is one wheel from PyPI, fetched with pip and unpacked (its `.py`
files only) into `<dest>/<name>-<version>/`. A project whose folder exists is
skipped, so running this again only fetches what is missing. The folder is
filled under a temporary name and renamed at the end, so an interrupted run
leaves nothing that looks complete.

Usage: python benchmarks/corpus.py [--dest DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DEST = HERE / "corpus"
PYTHON_VERSION = "3.13"
MIN_LINES = 1_000_000

# The corpus is its own project: without this file, a checker that looks for
# configuration upwards would find the repository's, which excludes the corpus.
# The repository's .gitignore also lists the corpus, so a checker that honours
# parent .gitignore files must be told not to, or it would check nothing.
CORPUS_PYPROJECT = """\
# Written by benchmarks/corpus.py: makes the corpus a project root of its own.
[project]
name = "asynclint-benchmark-corpus"
version = "0"

[tool.asynclint]
respect-gitignore = false
"""


@dataclasses.dataclass(frozen=True, slots=True)
class Project:
    """One wheel of the corpus, pinned so that every run measures the same code."""

    name: str
    version: str

    @property
    def requirement(self) -> str:
        """The pip requirement that fetches exactly this wheel."""
        return f"{self.name}=={self.version}"

    @property
    def folder(self) -> str:
        """The folder name the project's files are unpacked into."""
        return f"{self.name}-{self.version}"


PROJECTS: tuple[Project, ...] = (
    Project("homeassistant", "2025.4.4"),
    Project("aiohttp", "3.11.18"),
    Project("sqlalchemy", "2.0.40"),
    Project("redis", "5.2.1"),
    Project("httpx", "0.28.1"),
    Project("httpcore", "1.0.9"),
    Project("anyio", "4.9.0"),
    Project("asyncpg", "0.30.0"),
    Project("tornado", "6.4.2"),
    Project("fastapi", "0.115.12"),
    Project("starlette", "0.46.2"),
    Project("motor", "3.7.0"),
    Project("pymongo", "4.12.0"),
    Project("aiokafka", "0.12.0"),
    Project("clickhouse-connect", "0.8.17"),
    Project("asynch", "0.2.5"),
)


@dataclasses.dataclass(frozen=True, slots=True)
class Count:
    """How many Python files and lines a folder holds."""

    files: int
    lines: int

    def __add__(self, other: Count) -> Count:
        return Count(self.files + other.files, self.lines + other.lines)


def count_lines(data: bytes) -> int:
    """Count lines the way an editor does: a last line without newline counts."""
    if not data:
        return 0
    return data.count(b"\n") + (not data.endswith(b"\n"))


def count_folder(folder: Path) -> Count:
    """Count the `.py` files under `folder` and their lines."""
    files = sorted(folder.rglob("*.py"))
    return Count(len(files), sum(count_lines(f.read_bytes()) for f in files))


def download_wheel(project: Project, into: Path) -> Path:
    """Fetch the project's wheel for CPython 3.13 on this platform into `into`."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--python-version",
        PYTHON_VERSION,
        "--only-binary=:all:",
        "--dest",
        str(into),
        project.requirement,
    ]
    subprocess.run(command, check=True)

    wheels = sorted(into.glob("*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one wheel for {project.requirement}: {wheels}")
    return wheels[0]


def is_source_member(name: str) -> bool:
    """Tell whether a wheel member is a Python source file worth unpacking."""
    parts = Path(name).parts
    if name.startswith("/") or ".." in parts or not name.endswith(".py"):
        return False
    return not any(p.endswith((".dist-info", ".data")) for p in parts)


def unpack_sources(wheel: Path, into: Path) -> None:
    """Write the wheel's Python sources into `into`, keeping their paths."""
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            if member.is_dir() or not is_source_member(member.filename):
                continue
            target = into / member.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))


def fetch(project: Project, dest: Path) -> bool:
    """Add the project to the corpus unless it is there; tell whether it was added."""
    final = dest / project.folder
    if final.is_dir():
        return False

    with tempfile.TemporaryDirectory(dir=dest, prefix=".fetch-") as scratch:
        scratch_path = Path(scratch)
        wheel = download_wheel(project, scratch_path / "wheel")
        staging = scratch_path / "files"
        staging.mkdir()
        unpack_sources(wheel, staging)
        os.replace(staging, final)
    return True


def assemble(dest: Path, projects: Sequence[Project] = PROJECTS) -> Count:
    """Fetch every missing project into `dest`, print counts, return the total."""
    dest.mkdir(parents=True, exist_ok=True)
    pyproject = dest / "pyproject.toml"
    if not pyproject.exists() or pyproject.read_text() != CORPUS_PYPROJECT:
        pyproject.write_text(CORPUS_PYPROJECT)

    total = Count(0, 0)
    for project in projects:
        added = fetch(project, dest)
        count = count_folder(dest / project.folder)
        state = "fetched" if added else "present"
        print(
            f"{project.folder:32} {count.files:6} files {count.lines:9,} lines"
            f"  ({state})"
        )
        total += count

    print(f"{'total':32} {total.files:6} files {total.lines:9,} lines")
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help=f"where the corpus goes (default: {DEFAULT_DEST})",
    )
    args = parser.parse_args(argv)

    total = assemble(args.dest.resolve())
    if total.lines < MIN_LINES:
        print(f"corpus has fewer than {MIN_LINES:,} lines", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
