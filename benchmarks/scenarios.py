"""The benchmark's scenarios: each runs the tools and adds rows to the results."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import baselines
import findings
from measure import Measurement, run_repeated
from table import Row

RUFF_CHECK = ("check", "--isolated", "--no-cache", "--select", "ASYNC", ".")
# asynclint's command line checks through a subcommand: `asynclint check PATHS`.
CHECK = "check"
PRE_COMMIT_FILES = 5
MEMORY_LIMIT_MIB = 1024


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """The tools to run and how: what the command line chose."""

    asynclint: Path
    ruff: Path
    repeat: int
    jobs: int
    timeout: float


class ToolFailure(Exception):
    """A timed command crashed or printed output that cannot be used."""


def progress(text: str) -> None:
    """Tell the person waiting what is running."""
    print(f"run.py: {text}", file=sys.stderr, flush=True)


class Bench:
    """The scenarios, sharing the tree, its files, the tools and earlier results."""

    def __init__(
        self, settings: Settings, tree: Path, files: Sequence[str], scratch: Path
    ) -> None:
        self.settings = settings
        self.tree = tree
        self.scratch = scratch
        self.files = list(files)
        self.rows: list[Row] = []
        self.peaks: list[float] = []
        self.ruff_seconds = 0.0
        self.cold_seconds = 0.0
        self.cold_findings: list[findings.Finding] = []
        self.ruff_findings: list[findings.Finding] = []
        self.picked: list[str] = []

    def time(
        self,
        what: str,
        command: Sequence[object],
        *,
        repeat: int | None = None,
        cwd: Path | None = None,
        before_each: Callable[[], None] | None = None,
    ) -> Measurement:
        """Run a command `--repeat` times; fail on an exit code above 1."""
        argv = [str(part) for part in command]
        progress(f"{what}: {' '.join(argv)}")
        try:
            measurement = run_repeated(
                argv,
                cwd or self.tree,
                repeat or self.settings.repeat,
                self.settings.timeout,
                before_each,
            )
        except OSError as error:
            raise ToolFailure(f"{what}: cannot run: {error}") from None

        for sample in measurement.samples:
            if sample.returncode not in (0, 1):
                tail = sample.stderr.decode(errors="replace")[-2000:]
                raise ToolFailure(f"{what}: exit {sample.returncode}\n{tail}")
        progress(f"{what}: median {measurement.seconds:.3f} s")
        return measurement

    def asynclint(
        self,
        what: str,
        *options: object,
        repeat: int | None = None,
        cwd: Path | None = None,
        before_each: Callable[[], None] | None = None,
    ) -> Measurement:
        """Time asynclint and keep its peak memory for the memory row."""
        measurement = self.time(
            what,
            [self.settings.asynclint, CHECK, *options],
            repeat=repeat,
            cwd=cwd,
            before_each=before_each,
        )
        self.peaks.append(measurement.peak_mib)
        return measurement

    def load(self, measurement: Measurement) -> list[findings.Finding]:
        """The findings of an asynclint run's last sample (its text report),
        filenames relative to the tree."""
        try:
            return findings.load_report(measurement.last.stdout, self.tree, self.tree)
        except ValueError as error:
            raise ToolFailure(f"unusable findings: {error}") from None

    def load_ruff(self, measurement: Measurement) -> list[findings.Finding]:
        """The findings of ruff's JSON report."""
        try:
            return findings.load(measurement.last.stdout, self.tree, self.tree)
        except (findings.BadOutput, ValueError) as error:
            raise ToolFailure(f"unusable findings: {error}") from None

    def ratio(self, seconds: float) -> float:
        """`seconds` as a multiple of ruff's cold time."""
        return seconds / self.ruff_seconds if self.ruff_seconds else float("inf")

    def timed_row(self, what: str, m: Measurement, target: str, passed: bool) -> None:
        """Add a row for a timed scenario and whether it met its target."""
        self.rows.append(
            Row(
                what,
                target,
                passed,
                m.seconds,
                self.ratio(m.seconds),
                m.peak_mib,
            )
        )

    def check_row(
        self,
        what: str,
        expected: list[findings.Finding],
        got: list[findings.Finding],
    ) -> None:
        """Add a row saying whether two runs' findings are identical."""
        same = expected == got
        detail = (
            f"{len(got)} findings"
            if same
            else findings.describe_difference(expected, got)
        )
        self.rows.append(Row(what, f"identical ({detail})", same))

    def ruff_cold(self) -> None:
        """The reference: ruff's ASYNC rules, no cache, no config."""
        command = [self.settings.ruff, *RUFF_CHECK]
        # "Cold" means no cache of either tool, not files still on disk: the
        # first tool to run would otherwise pay for reading the tree into
        # the page cache (measured: ruff 2.9 s instead of 1.0 s).
        for name in self.files:
            (self.tree / name).read_bytes()
        m = self.time("ruff cold", command)
        self.ruff_seconds = m.seconds
        counted = self.time(
            "ruff findings", [*command, "--output-format", "json"], repeat=1
        )
        self.ruff_findings = self.load_ruff(counted)
        self.rows.append(
            Row(
                "ruff cold (`ruff check --isolated --no-cache --select ASYNC`)",
                "reference",
                None,
                m.seconds,
                1.0,
                m.peak_mib,
            )
        )

    def cold(self) -> None:
        """asynclint with no cache, at --jobs N and at --jobs 1."""
        jobs = self.settings.jobs
        m = self.asynclint(
            "asynclint cold",
            "--no-cache",
            "--jobs",
            jobs,
            ".",
        )
        self.cold_seconds = m.seconds
        self.cold_findings = self.load(m)
        self.timed_row(
            f"asynclint cold, `--no-cache --jobs {jobs}`",
            m,
            "<= 4x ruff cold",
            m.seconds <= 4 * self.ruff_seconds,
        )

        one = self.asynclint(
            "asynclint cold, 1 job",
            "--no-cache",
            "--jobs",
            1,
            ".",
        )
        self.rows.append(
            Row(
                "asynclint cold, `--no-cache --jobs 1`",
                "-",
                None,
                one.seconds,
                self.ratio(one.seconds),
                one.peak_mib,
            )
        )
        self.check_row(
            f"findings: `--jobs 1` = `--jobs {jobs}`",
            self.cold_findings,
            self.load(one),
        )

        # What the cross-module inference costs: the same cold run with only
        # the marker rules, which parse, summarise and walk every file that
        # mentions pytest or async but judge no call, await or `with`.
        bare = self.asynclint(
            "asynclint cold, marker rules only",
            "--no-cache",
            "--jobs",
            jobs,
            "--select",
            "ASL4",
            ".",
            repeat=1,
        )
        self.rows.append(
            Row(
                f"asynclint cold, `--jobs {jobs} --select ASL4` (no inference)",
                "-",
                None,
                bare.seconds,
                self.ratio(bare.seconds),
                bare.peak_mib,
            )
        )

    def warm(self) -> None:
        """A second cached run over an unchanged tree, then five named files."""
        cache = self.scratch / "cache"
        options = ("--cache-dir", cache)
        self.asynclint("asynclint warm-up", *options, ".", repeat=1)
        m = self.asynclint("asynclint warm", *options, ".")
        self.timed_row(
            "asynclint warm, nothing changed",
            m,
            "<= 0.5x ruff cold",
            m.seconds <= 0.5 * self.ruff_seconds,
        )
        self.check_row("findings: warm = cold", self.cold_findings, self.load(m))

        picked = self.picked = findings.pick_files(
            self.files, self.cold_findings, PRE_COMMIT_FILES
        )
        progress(f"pre-commit files: {' '.join(picked)}")
        m = self.asynclint("asynclint pre-commit", *options, *picked)
        self.timed_row(
            f"asynclint pre-commit, {len(picked)} files, warm",
            m,
            "< 0.5 s",
            m.seconds < 0.5,
        )
        self.check_row(
            f"findings: pre-commit = full run's, {len(picked)} files",
            findings.in_files(self.cold_findings, picked),
            self.load(m),
        )
        self.edited_pre_commit(options, picked)

    def edited_pre_commit(self, options: Sequence[object], picked: list[str]) -> None:
        """The five files again, each edited before every run (a comment
        appended), so that they miss the cache as a commit's files would.
        The files get their bytes and times back afterwards."""
        originals = {name: (self.tree / name).read_bytes() for name in picked}
        times = {name: (self.tree / name).stat() for name in picked}
        edits = 0

        def edit() -> None:
            nonlocal edits
            edits += 1
            for name in picked:
                with open(self.tree / name, "ab") as handle:
                    handle.write(f"\n# benchmark edit {edits}\n".encode())

        try:
            m = self.asynclint(
                "asynclint pre-commit, edited", *options, *picked, before_each=edit
            )
        finally:
            for name, data in originals.items():
                (self.tree / name).write_bytes(data)
                stat = times[name]
                os.utime(self.tree / name, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        self.timed_row(
            f"asynclint pre-commit, {len(picked)} files edited, warm",
            m,
            "< 0.5 s",
            m.seconds < 0.5,
        )
        self.check_row(
            f"findings: edited pre-commit = full run's, {len(picked)} files",
            findings.in_files(self.cold_findings, picked),
            self.load(m),
        )

    def fix(self) -> None:
        """`--fix` on a fresh copy of the tree for every run."""
        copy = self.scratch / "fix"

        def fresh_copy() -> None:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(self.tree, copy)

        m = self.asynclint(
            "asynclint --fix",
            "--fix",
            "--no-cache",
            ".",
            cwd=copy,
            before_each=fresh_copy,
        )
        self.timed_row(
            "asynclint `--fix --no-cache`, fresh copy",
            m,
            f"<= 2x asynclint cold ({2 * self.cold_seconds:.2f} s)",
            m.seconds <= 2 * self.cold_seconds,
        )

    def memory(self) -> None:
        """The worst peak memory over every asynclint run."""
        if not self.peaks:
            return
        peak = max(self.peaks)
        self.rows.append(
            Row(
                "peak memory, any asynclint run",
                f"< {MEMORY_LIMIT_MIB} MiB",
                peak < MEMORY_LIMIT_MIB,
                peak_mib=peak,
            )
        )

    def reference(self) -> None:
        """Rows for reading and parsing every file in this process."""
        progress("baselines: read and ast.parse every file, one core")
        b = baselines.measure([self.tree / name for name in self.files])
        parse = f"reference: `ast.parse` every file, 1 core, Python {b.python}"
        errors = f"{b.syntax_errors} syntax errors"
        for what, target, seconds in (
            ("reference: read every file, 1 core", "-", b.read_seconds),
            (parse, errors, b.parse_seconds),
        ):
            self.rows.append(Row(what, target, None, seconds, self.ratio(seconds)))
