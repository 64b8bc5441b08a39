"""Bad inputs a user can hand asynclint, and what each must answer.

Each scenario builds a small project, runs the real command line in it and
states the message and exit status the user must see. The tests in
test_bad_input.py run them; `python -m tests.safety.bad_inputs` prints the
same runs as a Markdown table for the README.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD = "async def job():\n    pass\n\n\nasync def main():\n    job()\n"
GOOD_FINDING = "good.py:6:5: ASL102"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One bad input: how to make it, the arguments, what the user must see."""

    name: str
    build: Callable[[Path], None]
    args: tuple[str, ...]
    exit_code: int
    # Regular expressions that must match somewhere in stdout + stderr.
    expected: tuple[str, ...]
    # Whether the good file beside the bad one must still be reported.
    continues: bool = False


def _files(files: dict[str, bytes | str]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.encode()
            path.write_bytes(content)

    return build


def _with_good(files: dict[str, bytes | str] | None = None) -> Callable[[Path], None]:
    return _files({"good.py": GOOD, **(files or {})})


def _deep_parens(root: Path) -> None:
    (root / "deep.py").write_text("x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n")
    _with_good()(root)


def _long_sum(root: Path) -> None:
    (root / "sum.py").write_text(
        "async def f():\n    return " + "+".join(["1"] * 100_000) + "\n"
    )
    _with_good()(root)


def _deep_unary(root: Path) -> None:
    (root / "neg.py").write_text("async def f():\n    return " + "-" * 1000 + "1\n")
    _with_good()(root)


def _big_file(root: Path) -> None:
    lines = ["import asyncio"]
    for i in range(25_000):
        lines += [f"async def f{i}():", "    await asyncio.sleep(0)"]
    lines += ["async def main():", "    f1()"]
    (root / "big.py").write_text("\n".join(lines) + "\n")


def _symlink_loop(root: Path) -> None:
    (root / "a.py").symlink_to(root / "b.py")
    (root / "b.py").symlink_to(root / "a.py")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root)
    _with_good()(root)


def _directory_named_py(root: Path) -> None:
    (root / "x.py").mkdir()
    (root / "x.py" / "inner.py").write_text(GOOD)


def _config(text: str) -> Callable[[Path], None]:
    return _with_good({"pyproject.toml": text})


def _too_deep_to_rewrite(root: Path) -> None:
    (root / "deep.py").write_text(GOOD + "    x = " + "[" * 150 + "]" * 150 + "\n")


def _link_out(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir()
    (outside / "lib.py").write_text(GOOD)
    (root / "pyproject.toml").write_text("[tool.asynclint]\n")
    (root / "lib.py").symlink_to(outside / "lib.py")


_PYTEST_TEST = "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n"

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "syntax error",
        _with_good({"bad.py": "def f(:\n    pass\n"}),
        (".",),
        1,
        (r"^bad\.py:1:7: syntax error: invalid syntax$",),
        continues=True,
    ),
    Scenario(
        "valid only in a newer Python (`type X = int`, 3.12)",
        _with_good({"new.py": "type X = int\n"}),
        (".",),
        1,
        (
            (
                r"^new\.py:1:6: syntax error: invalid syntax "
                r"\(Python 3\.12 syntax: a type statement; asynclint runs on 3\.\d+\)$"
            ),
        ),
        continues=True,
    ),
    Scenario(
        "non-UTF-8 bytes, no coding comment",
        _with_good({"latin.py": b"x = '\xe9t\xe9'\n"}),
        (".",),
        1,
        (r"^latin\.py: error: cannot decode: not valid UTF-8 \(byte 0xe9 on line 1\)",),
        continues=True,
    ),
    Scenario(
        "bytes the coding comment does not allow",
        _with_good({"ascii.py": b"# coding: ascii\nx = '\xc3\xa9'\n"}),
        (".",),
        1,
        (
            r"^ascii\.py: error: cannot decode: not valid ascii as its coding comment says",
        ),
        continues=True,
    ),
    Scenario(
        "unknown encoding in the coding comment",
        _with_good({"odd.py": b"# coding: klingon\nx = 1\n"}),
        (".",),
        1,
        (r"^odd\.py: error: cannot decode: unknown encoding: klingon$",),
        continues=True,
    ),
    Scenario(
        "a NUL byte",
        _with_good({"nul.py": b"x = 1\x00\n"}),
        (".",),
        1,
        (r"^nul\.py: error: contains a NUL byte; not a Python source file$",),
        continues=True,
    ),
    Scenario(
        "a binary file named .py",
        _with_good({"blob.py": bytes(range(256)) * 8}),
        (".",),
        1,
        (r"^blob\.py: error: contains a NUL byte; not a Python source file$",),
        continues=True,
    ),
    Scenario(
        "UTF-16 text named .py",
        _with_good({"wide.py": "x = 1\n".encode("utf-16")}),
        (".",),
        1,
        (r"^wide\.py: error: is UTF-16 or UTF-32 text; Python source must be UTF-8",),
        continues=True,
    ),
    Scenario(
        "an empty file",
        _files({"empty.py": ""}),
        (".",),
        0,
        (r"All checks passed\.",),
    ),
    Scenario(
        "a 50,000-line file", _big_file, (".",), 1, (r"^big\.py:50003:5: ASL102",)
    ),
    Scenario(
        "10,000 nested parentheses",
        _deep_parens,
        (".",),
        1,
        (r"^deep\.py:1:\d+: syntax error: too many nested parentheses$",),
        continues=True,
    ),
    Scenario(
        "a 100,000-term `1+1+...`",
        _long_sum,
        (".",),
        1,
        (r"^sum\.py: error: too deeply nested to parse$",),
        continues=True,
    ),
    Scenario(
        "1,000 nested unary minus (parses, too deep to analyse)",
        _deep_unary,
        (".",),
        1,
        (r"^neg\.py: error: too deeply nested to analyse \(Python recursion limit\)$",),
        continues=True,
    ),
    Scenario(
        "`--fix` on a file too deeply nested for LibCST to rewrite",
        _too_deep_to_rewrite,
        ("--fix", "deep.py"),
        1,
        (
            (
                r"^asynclint: warning: \S*deep\.py:6:5: ASL102 fix not applied: "
                r"the file is too deeply nested to rewrite$"
            ),
            r"^deep\.py:6:5: ASL102 ",
        ),
    ),
    Scenario(
        "`--fix` on a symlink to a file outside the project",
        _link_out,
        ("--fix", "lib.py"),
        1,
        (
            (
                r"^lib\.py: error: is a symbolic link to a file outside the project; "
                r"not fixed$"
            ),
        ),
    ),
    Scenario(
        "symlink loop (files and a directory)",
        _symlink_loop,
        (".",),
        1,
        (
            r"^a\.py: error: cannot read: Too many levels of symbolic links$",
            r"^b\.py: error: cannot read: Too many levels of symbolic links$",
        ),
        continues=True,
    ),
    Scenario(
        "a directory named x.py, given explicitly (it is walked)",
        _directory_named_py,
        ("x.py",),
        1,
        (r"^x\.py/inner\.py:6:5: ASL102",),
    ),
    Scenario(
        "a path that does not exist",
        _with_good(),
        ("nothere.py",),
        2,
        (r"^asynclint: error: nothere\.py: no such file or directory$",),
    ),
    Scenario(
        "a path that does not exist, beside one that does",
        _with_good(),
        ("nothere.py", "good.py"),
        1,
        (r"^asynclint: error: nothere\.py: no such file or directory$",),
        continues=True,
    ),
    Scenario(
        "malformed TOML in pyproject.toml",
        _config("[tool.asynclint\nselect = [\n"),
        (".",),
        2,
        (r"^asynclint: error: \S*pyproject\.toml: invalid TOML: .*line 1",),
    ),
    Scenario(
        "unknown key in [tool.asynclint]",
        _config("[tool.asynclint]\nselct = ['ASL1']\n"),
        (".",),
        1,
        (
            r"^asynclint: warning: \S*pyproject\.toml: unknown key tool\.asynclint\.selct",
        ),
        continues=True,
    ),
    Scenario(
        "wrong value type in [tool.asynclint]",
        _config("[tool.asynclint]\nselect = 'ASL1'\n"),
        (".",),
        2,
        (
            r"^asynclint: error: \S*pyproject\.toml: tool\.asynclint\.select must be a list",
        ),
    ),
    Scenario(
        "wrong value type in a nested table",
        _config("[tool.asynclint.per-file-ignores]\n'a.py' = 'ASL1'\n"),
        (".",),
        2,
        (r"pyproject\.toml: tool\.asynclint\.per-file-ignores\.a\.py must be a list",),
    ),
    Scenario(
        "a `.gitignore` line pathspec rejects (`!`, `x\\`, `[z-a]`)",
        _with_good(
            {
                ".gitignore": "!\nx\\\n[z-a].py\n",
                "sub/.gitignore": "!\nx\\\n[z-a].py\n",
                "sub/z.py": GOOD,
                "sub/y.py": GOOD,
            }
        ),
        (".",),
        1,
        (r"^sub/y\.py:6:5: ASL102 ",),
        continues=True,
    ),
    Scenario(
        "an exclude pattern pathspec rejects (`--exclude '!'`)",
        _with_good(),
        ("--exclude", "!", "."),
        2,
        (r"^asynclint: error: --exclude: invalid pattern '!': a '!' with nothing ",),
    ),
    Scenario(
        "an exclude pattern pathspec rejects, in the config",
        _config("[tool.asynclint]\nextend-exclude = ['x\\']\n"),
        (".",),
        2,
        (
            r"^asynclint: error: \S*pyproject\.toml: tool\.asynclint\.extend-exclude: ",
            r"extend-exclude: invalid pattern 'x\\': it ends with a backslash",
        ),
    ),
    Scenario(
        "a per-file-ignores pattern pathspec rejects",
        _config("[tool.asynclint.per-file-ignores]\n'[z-a]' = ['ASL1']\n"),
        (".",),
        2,
        (
            r"^asynclint: error: \S*pyproject\.toml: tool\.asynclint\.per-file-ignores: ",
            r"per-file-ignores: invalid pattern '\[z-a\]': bad character range z-a$",
        ),
    ),
    Scenario(
        "a config that excludes everything",
        _config("[tool.asynclint]\nexclude = ['*']\n"),
        (".",),
        0,
        (r"^asynclint: warning: no Python files to check$",),
    ),
    Scenario(
        "malformed pytest.ini",
        _files({"pytest.ini": "[pytest\nmarkers =\n", "tests/test_a.py": _PYTEST_TEST}),
        (".",),
        1,
        (r"^pytest\.ini:1:\d+: ASL405 ",),
    ),
    Scenario(
        "malformed tox.ini",
        _files(
            {"tox.ini": "[pytest]\nmarkers\n  slow\n[", "tests/test_a.py": _PYTEST_TEST}
        ),
        (".",),
        1,
        (r"^tox\.ini:\d+:\d+: ASL405 ",),
    ),
    Scenario(
        "malformed setup.cfg",
        _files(
            {
                "setup.cfg": "[tool:pytest\nmarkers = slow\n",
                "tests/test_a.py": _PYTEST_TEST,
            }
        ),
        (".",),
        1,
        (r"^setup\.cfg:\d+:\d+: ASL405 ",),
    ),
    Scenario(
        "tox.ini that is not UTF-8",
        _files(
            {
                "tox.ini": b"[pytest]\nmarkers =\n    slow: caf\xe9\n",
                "tests/test_a.py": _PYTEST_TEST,
            }
        ),
        (".",),
        1,
        (r"^tox\.ini:3:1: ASL405 .*: is not valid UTF-8 \(byte 0xe9 on line 3\)$",),
    ),
    Scenario(
        "--diff on a setup.cfg that is not UTF-8",
        _files(
            {
                "setup.cfg": b"[tool:pytest]\nmarkers =\n    fast: caf\xe9\n",
                "tests/test_a.py": _PYTEST_TEST,
            }
        ),
        ("--diff", "."),
        1,
        # --diff shows only the changes (none here) and the count.
        (r"^Found 1 violation\.$",),
    ),
    Scenario(
        "malformed TOML in a pyproject.toml holding only pytest config",
        _files(
            {
                "pyproject.toml": "[tool.pytest.ini_options\nmarkers = []\n",
                "tests/test_a.py": _PYTEST_TEST,
            }
        ),
        ("tests",),
        2,
        (r"^asynclint: error: \S*pyproject\.toml: invalid TOML",),
    ),
)


def run_scenario(scenario: Scenario, root: Path) -> tuple[int, str, str]:
    """Build `scenario` in the empty directory `root` and run asynclint there."""
    from .conftest import run_asynclint

    scenario.build(root)
    done = run_asynclint(root, "--no-cache", *scenario.args, timeout=300)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.MULTILINE) is not None


def main() -> None:
    """Print each scenario's measured output as a Markdown table."""
    print("| bad input | what the user sees | exit |")
    print("|---|---|---|")
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory() as directory:
            code, out, err = run_scenario(scenario, Path(directory))
        lines = [
            line
            for line in (out + err).splitlines()
            if not line.startswith(("good.py", "Found", "All checks", "No violations"))
            or scenario.name == "an empty file"
        ]
        shown = "<br>".join(f"`{line}`" for line in lines[:3]) or "(nothing)"
        print(f"| {scenario.name} | {shown} | {code} |")


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main()
