"""Run one command and measure its wall time and peak memory.

Peak memory is the larger of two readings: the kernel's maximum resident set
of the largest single process in the command's tree (from `wait4`), and the
largest sum of resident sets over the whole tree seen by sampling `/proc`
every few milliseconds. The second catches a pool of workers whose sum
matters even when no single worker is large.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

SAMPLE_INTERVAL = 0.01
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    """The outcome of one run of a command."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: bytes
    stderr: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class Measurement:
    """Repeated runs of one command: the median time, the worst memory."""

    samples: tuple[Sample, ...]

    @property
    def seconds(self) -> float:
        """The median wall time over the runs."""
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        """The highest peak memory of any run."""
        return max(s.peak_mib for s in self.samples)

    @property
    def last(self) -> Sample:
        """The last run, whose output stands for all of them."""
        return self.samples[-1]


def children(pid: int) -> list[int]:
    """The direct children of a process, or none if it is gone."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found.extend(int(child) for child in listing.read().split())
    except OSError:
        return found
    return found


def resident_bytes(pid: int) -> int:
    """The resident set of one process, or 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_resident_bytes(root: int) -> int:
    """The summed resident sets of a process and all its descendants."""
    total = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        total += resident_bytes(pid)
        pending.extend(children(pid))
    return total


class TreeSampler(threading.Thread):
    """Polls a process tree's total resident memory until told to stop."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_resident_bytes(self.pid))
            self.done.wait(SAMPLE_INTERVAL)


def _measured_environment() -> dict[str, str]:
    """This process's environment, minus what would make the measured tools
    run as they never do when installed: without PYTHONDONTWRITEBYTECODE a
    tool's first run writes its bytecode, as pip does at install time, and
    later runs do not compile its modules again."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def run_once(command: Sequence[str], cwd: Path, timeout: float) -> Sample:
    """Run `command` in `cwd`, capturing its output; kill it after `timeout` s."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=err, env=_measured_environment()
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        killer = threading.Timer(timeout, process.kill)
        killer.start()

        # wait4 rather than Popen.wait: it also reports the child's rusage.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        killer.cancel()
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)

        out.seek(0)
        err.seek(0)
        largest_process = usage.ru_maxrss * 1024
        return Sample(
            seconds=seconds,
            peak_mib=max(largest_process, sampler.peak) / MIB,
            returncode=process.returncode,
            stdout=out.read(),
            stderr=err.read(),
        )


def run_repeated(
    command: Sequence[str],
    cwd: Path,
    repeat: int,
    timeout: float,
    before_each: Callable[[], None] | None = None,
) -> Measurement:
    """Run `command` `repeat` times, calling `before_each` untimed before each."""
    samples = []
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        samples.append(run_once(command, cwd, timeout))
    return Measurement(tuple(samples))
