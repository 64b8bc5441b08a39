"""Editor use: `asynclint --fix - --stdin-filename PATH` fixes stdin onto stdout."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_asynclint

DROPPED = "async def job():\n    pass\n\n\nasync def main():\n    job()  # go\n"
AWAITED = DROPPED.replace("    job()", "    await job()")
BOM = b"\xef\xbb\xbf"


def _stdin(cwd: Path, text: bytes, name: str, *args: str) -> tuple[int, bytes, str]:
    command = ("--fix", *args, "-", "--stdin-filename", name)
    done = run_asynclint(cwd, *command, stdin=text)
    return done.returncode, done.stdout, done.stderr.decode()


def test_fixed_text_goes_to_stdout_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("# what is on disk\n")

    code, out, err = _stdin(tmp_path, DROPPED.encode(), "a.py")

    assert out == AWAITED.encode()
    assert code == 0, err
    assert (tmp_path / "a.py").read_text() == "# what is on disk\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (BOM + DROPPED.encode(), BOM + AWAITED.encode()),
        (
            DROPPED.replace("\n", "\r\n").encode(),
            AWAITED.replace("\n", "\r\n").encode(),
        ),
        (
            ("# coding: latin-1\n" + DROPPED.replace("go", "é")).encode("latin-1"),
            ("# coding: latin-1\n" + AWAITED.replace("go", "é")).encode("latin-1"),
        ),
    ],
    ids=["bom", "crlf", "latin-1"],
)
def test_stdin_keeps_encoding_and_endings(
    before: bytes, after: bytes, tmp_path: Path
) -> None:
    code, out, err = _stdin(tmp_path, before, "a.py")

    assert out == after, err
    assert code == 0


def test_names_resolve_relative_to_the_stdin_filename(tmp_path: Path) -> None:
    """`from .helpers import fetch` means the helpers beside --stdin-filename."""
    package = tmp_path / "app" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("async def fetch():\n    return 1\n")
    (package / "plain.py").write_text("def fetch():\n    return 1\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pyproject.toml").write_text("[tool.asynclint]\nselect = ['ASL9']\n")
    source = b"from .helpers import fetch\n\n\nasync def main():\n    fetch()\n"
    plain = source.replace(b".helpers", b".plain")
    name = str(package / "main.py")

    code, out, _ = _stdin(elsewhere, source, name)
    assert code == 0
    assert out == source.replace(b"    fetch()", b"    await fetch()")
    # Same text, but the name it imports is a plain function: nothing to fix.
    code, out, _ = _stdin(elsewhere, plain, name)
    assert (code, out) == (0, plain)
    # Absolute imports resolve from the import root of --stdin-filename too.
    absolute = source.replace(b"from .helpers", b"from pkg.helpers")
    code, out, _ = _stdin(elsewhere, absolute, name)
    assert out == absolute.replace(b"    fetch()", b"    await fetch()")


def test_config_is_found_from_the_stdin_filename(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.asynclint]\nignore = ['ASL102']\n")

    code, out, _ = _stdin(tmp_path, DROPPED.encode(), str(project / "a.py"))

    assert (code, out) == (0, DROPPED.encode())


def test_a_syntax_error_echoes_the_input_and_names_the_file(tmp_path: Path) -> None:
    broken = b"def f(:\n    pass\n"

    code, out, err = _stdin(tmp_path, broken, "src/a.py")

    assert out == broken
    assert err.splitlines() == ["src/a.py:1:7: syntax error: invalid syntax"]
    assert code == 1


def test_undecodable_input_is_echoed_byte_for_byte(tmp_path: Path) -> None:
    data = b"x = '\xff'\n"

    code, out, err = _stdin(tmp_path, data, "a.py")

    assert out == data
    assert "a.py: error: cannot decode: not valid UTF-8 (byte 0xff on line 1)" in err
    assert "Traceback" not in err
    assert code == 1


def test_remaining_findings_go_to_stderr(tmp_path: Path) -> None:
    source = b"import time\n\n\nasync def main():\n    time.sleep(1)\n"

    code, out, err = _stdin(tmp_path, source, "a.py")

    assert out == source
    assert "a.py:5:5: ASL301" in err
    assert code == 1


def test_marker_findings_for_an_unsaved_test_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\nmarkers = []\n"
    )
    source = b"import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n"

    code, out, err = _stdin(tmp_path, source, "tests/test_new.py")

    assert "internal error" not in err
    assert out == source
    assert "ASL401" in err
    assert code == 1
