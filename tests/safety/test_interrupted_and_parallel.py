"""A killed `--fix` leaves whole files; parallel `--fix` runs edit config once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .conftest import ASYNCLINT, run_asynclint


def _module(index: int) -> str:
    # Long enough that a torn write would show, distinct per file.
    padding = "".join(f"# line {index}-{n} of padding\n" for n in range(30))
    return (
        f'"""Module {index}."""\n{padding}\n\nasync def job_{index}():\n    pass\n\n\n'
        f"async def main():\n    job_{index}()  # fix me\n"
    )


def _fixed_module(index: int) -> str:
    return _module(index).replace(
        f"    job_{index}()  #", f"    await job_{index}()  #"
    )


def _make_project(root: Path, count: int) -> None:
    (root / "src").mkdir(parents=True)
    for index in range(count):
        (root / "src" / f"m{index:03}.py").write_text(_module(index))


def _wait_for_change(path: Path, old: str, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if path.read_text() != old:
                return True
        except OSError:
            pass
        time.sleep(0.0005)
    return False


@pytest.mark.parametrize("delay", [0.0, 0.2])
def test_sigkill_during_fix_leaves_every_file_old_or_new(
    delay: float, tmp_path: Path
) -> None:
    count = 300
    _make_project(tmp_path, count)
    first = tmp_path / "src" / "m000.py"

    process = subprocess.Popen(
        [*ASYNCLINT, "--fix", "--no-cache", "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        changed = _wait_for_change(first, _module(0), limit=240)
        time.sleep(delay)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert changed, "the run never wrote the first file"

    states = {"old": 0, "new": 0}
    for index in range(count):
        text = (tmp_path / "src" / f"m{index:03}.py").read_text()
        if text == _module(index):
            states["old"] += 1
        else:
            assert text == _fixed_module(index), f"m{index:03}.py is torn"
            states["new"] += 1
    print(f"killed after {delay}s: {states}")
    assert states["new"] >= 1
    leftovers = [
        p.name for p in (tmp_path / "src").iterdir() if not p.name.endswith(".py")
    ]
    # A kill between creating the temporary file and renaming it can leave
    # one; it never has a .py name, so no later run checks it.
    assert len(leftovers) <= 1, leftovers
    # The next run finishes the job.
    done = run_asynclint(tmp_path, "--fix", "--no-cache", ".")
    assert done.returncode == 0, done.stderr
    for index in range(count):
        assert (tmp_path / "src" / f"m{index:03}.py").read_text() == _fixed_module(
            index
        )


_MARKED_TEST = (
    "import pytest\n\n\n@pytest.mark.{marker}\ndef test_{n}():\n    pass\n\n\n"
    "async def helper_{n}():\n    pass\n\n\nasync def use_{n}():\n    helper_{n}()\n"
)
_MARKERS = ("slow", "network", "db")


def _marked_project(root: Path, files: int) -> None:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n'
    )
    for n in range(files):
        marker = _MARKERS[n % len(_MARKERS)]
        (root / "tests" / f"test_{n:02}.py").write_text(
            _MARKED_TEST.format(marker=marker, n=n)
        )


@pytest.mark.parametrize("split", [False, True], ids=["same-files", "disjoint-files"])
def test_parallel_fix_runs_edit_the_pytest_config_once(
    split: bool, tmp_path: Path
) -> None:
    files, runs = 24, 4
    _marked_project(tmp_path, files)
    names = [f"tests/test_{n:02}.py" for n in range(files)]
    if split:
        # pre-commit hands each parallel process its own share of the files.
        batches = [names[i::runs] for i in range(runs)]
    else:
        batches = [names] * runs

    def fix(batch: list[str]) -> subprocess.CompletedProcess[bytes]:
        return run_asynclint(tmp_path, "--fix", "--no-cache", "-j", "1", *batch)

    with ThreadPoolExecutor(runs) as pool:
        results = list(pool.map(fix, batches))

    for done in results:
        assert done.returncode in (0, 1), done.stderr
        assert b"internal error" not in done.stderr
        assert b"changed while it was being fixed" not in done.stdout
    config = (tmp_path / "pyproject.toml").read_text()
    table = tomllib.loads(config)["tool"]["pytest"]["ini_options"]
    registered = [entry.split(":")[0].strip() for entry in table["markers"]]
    assert sorted(registered) == sorted(_MARKERS), config
    assert table["addopts"] == "-ra"
    for n in range(files):
        text = (tmp_path / "tests" / f"test_{n:02}.py").read_text()
        assert text.count(f"    await helper_{n}()") == 1, text
    again = run_asynclint(tmp_path, "--fix", "--no-cache", ".")
    assert again.returncode == 0, again.stdout
    assert (tmp_path / "pyproject.toml").read_text() == config
