"""Measure asynclint against its speed targets, side by side with ruff.

Every scenario runs in this one invocation, on this machine: ruff cold, then
asynclint cold, warm, on five named files, and fixing a fresh copy of the
tree. Times are medians of `--repeat` runs. The table goes to stdout and to
`benchmarks/results/latest.md`; progress goes to stderr.

Exit status: 0 every target met, 1 a target missed, 2 usage error,
3 a tool failed (crashed, or printed no valid findings).

Usage: python benchmarks/run.py [--corpus DIR] [--asynclint PATH] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import corpus
import findings
from scenarios import Bench, Settings, ToolFailure
from table import render

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE / "corpus"
DEFAULT_OUTPUT = HERE / "results" / "latest.md"
QUICK_FILES = 400
LOAD_NOTE = "other work on the machine inflates every time above"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--asynclint", type=Path, help="the asynclint to measure")
    parser.add_argument("--ruff", type=Path, help="the ruff to compare with")
    parser.add_argument("--repeat", type=int, help="runs per timing (default 5)")
    parser.add_argument("--jobs", type=int, default=2, help="jobs for cold runs")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run on at most {QUICK_FILES} files, once each",
    )
    parser.add_argument(
        "--baselines",
        action="store_true",
        help="also time reading and ast.parse of every file on one core",
    )
    args = parser.parse_args(argv)

    if args.repeat is None:
        args.repeat = 1 if args.quick else 5
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}: run benchmarks/corpus.py")
    args.asynclint = locate(parser, "asynclint", args.asynclint)
    args.ruff = locate(parser, "ruff", args.ruff)
    return args


def locate(parser: argparse.ArgumentParser, name: str, given: Path | None) -> Path:
    """The tool given, else the one beside this Python, else the one on PATH."""
    if given is not None:
        if not given.is_file():
            parser.error(f"no {name} at {given}")
        return given.resolve()
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return beside
    found = shutil.which(name)
    if found is None:
        parser.error(f"cannot find {name}: pass --{name} PATH")
    return Path(found)


def python_files(tree: Path) -> list[str]:
    """Every `.py` file under `tree`, relative to it, sorted."""
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.py"))


def quick_subset(source: Path, into: Path) -> Path:
    """Copy an even spread of at most QUICK_FILES of the source tree's files."""
    for name in findings.spread(python_files(source), QUICK_FILES):
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)
    if (source / "pyproject.toml").exists():
        shutil.copyfile(source / "pyproject.toml", into / "pyproject.toml")
    return into


def lines_in(tree: Path, files: Sequence[str]) -> int:
    """The number of lines in the named files."""
    return sum(corpus.count_lines((tree / name).read_bytes()) for name in files)


def report(args: argparse.Namespace, bench: Bench, failure: str | None) -> str:
    """The Markdown results: the table, then what was measured and how."""
    settings = bench.settings
    subset = " (quick subset)" if args.quick else ""
    size = f"{len(bench.files)} files, {lines_in(bench.tree, bench.files):,} lines"
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    lines = [
        "# asynclint benchmark",
        "",
        render(bench.rows),
        f"- tree: `{args.corpus}`{subset}: {size}",
        f"- median of {settings.repeat} run(s) each; {machine}",
        f"- load average at the end (1, 5, 15 min): {load}: {LOAD_NOTE}",
        f"- asynclint: `{settings.asynclint}`; ruff: `{settings.ruff}`",
    ]
    counts = f"- findings: ruff {findings.summary(bench.ruff_findings)}"
    if bench.cold_seconds:
        counts += f", asynclint {findings.summary(bench.cold_findings)}"
    lines.append(counts)
    if bench.picked:
        lines.append(f"- pre-commit files: {', '.join(bench.picked)}")
    if failure is not None:
        lines.append(f"- stopped early: {failure.splitlines()[0]}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    failure = None

    with tempfile.TemporaryDirectory(prefix="asynclint-bench-") as scratch_name:
        scratch = Path(scratch_name)
        tree = args.corpus.resolve()
        if args.quick:
            tree = quick_subset(tree, scratch / "quick")
        settings = Settings(
            args.asynclint, args.ruff, args.repeat, args.jobs, args.timeout
        )
        bench = Bench(settings, tree, python_files(tree), scratch)
        try:
            bench.ruff_cold()
            bench.cold()
            bench.warm()
            bench.fix()
            if args.baselines:
                bench.reference()
        except ToolFailure as error:
            failure = str(error)
            print(f"run.py: {failure}", file=sys.stderr)
        bench.memory()
        text = report(args, bench, failure)

    print(text, end="")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)

    if failure is not None:
        return 3
    return 0 if all(row.passed is not False for row in bench.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
