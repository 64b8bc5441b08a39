"""ASL301 follows a chain of project helpers to any depth, in any order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asynclint.rules.blocking_call_in_async import _chain_text

Runner = Callable[..., Any]


def _chain(length: int) -> str:
    """`async def main` calling f1, which calls f2, ... down to `time.sleep`."""
    parts = ["import time\n", f"def f{length}():\n    time.sleep(1)\n"]
    parts += [f"def f{i}():\n    f{i + 1}()\n" for i in range(length - 1, 0, -1)]
    parts.append("async def main():\n    f1()\n")
    return "\n\n".join(parts)


@pytest.mark.parametrize("length", [12, 13, 3000])
def test_a_chain_of_any_length_is_followed(
    length: int, tmp_path: Path, asynclint: Runner
) -> None:
    source = _chain(length)
    (tmp_path / "helpers.py").write_text(source)

    run = asynclint(tmp_path)

    assert set(run.findings) == {("helpers.py", source.count("\n"), "ASL301")}


def test_a_chain_through_three_hundred_modules_is_followed(
    tmp_path: Path, asynclint: Runner
) -> None:
    for n in range(300):
        body = "time.sleep(1)" if n == 299 else f"g{n + 1}()"
        head = "import time" if n == 299 else f"from m{n + 1} import g{n + 1}"
        (tmp_path / f"m{n}.py").write_text(f"{head}\n\ndef g{n}():\n    {body}\n")
    (tmp_path / "use.py").write_text(
        "from m0 import g0\n\nasync def main():\n    g0()\n"
    )

    run = asynclint(tmp_path)

    assert set(run.findings) == {("use.py", 4, "ASL301")}


DEEP = "import time\n\n" + "".join(f"def h{i}(): h{i + 1}()\n" for i in range(1, 13))
DEEP += "def h13(): time.sleep(1)\n"


@pytest.mark.parametrize("first", ["h1", "h2"])
def test_the_answer_does_not_depend_on_which_call_is_checked_first(
    first: str, tmp_path: Path, asynclint: Runner
) -> None:
    second = "h2" if first == "h1" else "h1"
    (tmp_path / "deep.py").write_text(DEEP)
    (tmp_path / "use.py").write_text(
        "from deep import h1, h2\n\n\n"
        f"async def first():\n    {first}()\n\n\n"
        f"async def second():\n    {second}()\n"
    )

    run = asynclint(tmp_path)

    assert set(run.findings) == {("use.py", 5, "ASL301"), ("use.py", 9, "ASL301")}


def test_mutually_recursive_helpers_block_whichever_is_called_first(
    tmp_path: Path, asynclint: Runner
) -> None:
    # Asked first, `walk` meets itself through `visit` while still being
    # searched; `visit`'s "does not block" then is only provisional.
    (tmp_path / "tree.py").write_text(
        "import os\n\n\n"
        "def walk(path):\n    visit(path)\n    os.system(path)\n\n\n"
        "def visit(path):\n    walk(path)\n\n\n"
        "async def main(path):\n    walk(path)\n    visit(path)\n"
    )

    run = asynclint(tmp_path)

    assert set(run.findings) == {("tree.py", 14, "ASL301"), ("tree.py", 15, "ASL301")}


def test_a_long_chain_shows_its_ends_and_counts_the_rest() -> None:
    chain = tuple(f"m.f{i}" for i in range(20)) + ("time.sleep",)

    text = _chain_text(chain)

    assert text == (
        "`m.f0` -> `m.f1` -> `m.f2` -> `m.f3` -> `m.f4` -> ... 11 more -> "
        "`m.f16` -> `m.f17` -> `m.f18` -> `m.f19` -> `time.sleep`"
    )
    assert _chain_text(chain[-12:]).count("->") == 11
