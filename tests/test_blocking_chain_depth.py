"""ASL301 follows a chain of project helpers twelve functions deep, no more."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Runner = Callable[..., Any]


def _chain(length: int) -> str:
    """`async def main` calling f1, which calls f2, ... down to `time.sleep`."""
    parts = ["import time\n", f"def f{length}():\n    time.sleep(1)\n"]
    parts += [f"def f{i}():\n    f{i + 1}()\n" for i in range(length - 1, 0, -1)]
    parts.append("async def main():\n    f1()\n")
    return "\n\n".join(parts)


@pytest.mark.parametrize(("length", "reported"), [(12, True), (13, False)])
def test_chain_depth_limit(
    length: int, reported: bool, tmp_path: Path, asynclint: Runner
) -> None:
    source = _chain(length)
    (tmp_path / "helpers.py").write_text(source)

    run = asynclint(tmp_path)

    call_line = source.count("\n")
    expected = {("helpers.py", call_line, "ASL301")} if reported else set()
    assert set(run.findings) == expected
