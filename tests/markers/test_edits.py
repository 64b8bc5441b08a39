"""`edit_config_text` and `apply_config_edits` on small texts."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from asynclint.markers import apply_config_edits, edit_config_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from asynclint.types import ConfigEdit

PYPROJECT = Path("/p/pyproject.toml")
PYTEST_INI = Path("/p/pytest.ini")


def _add(path: Path, *entries: str) -> ConfigEdit:
    return ConfigEdit(path, "add-markers", entries)


def _markers(text: str) -> list[str]:
    return tomllib.loads(text)["tool"]["pytest"]["ini_options"]["markers"]


def test_edits_for_one_file_merge_without_duplicates() -> None:
    text = '[tool.pytest.ini_options]\nmarkers = ["a"]\n'
    edits = [
        _add(PYPROJECT, "b"),
        _add(PYPROJECT, "b: described", "a"),
        _add(PYPROJECT, "c"),
    ]

    result = edit_config_text(text, PYPROJECT, edits)

    assert result == '[tool.pytest.ini_options]\nmarkers = ["a", "b: described", "c"]\n'
    assert edit_config_text(result, PYPROJECT, edits) == result


def test_marker_already_registered_with_description_changes_nothing() -> None:
    text = "[pytest]\nmarkers =\n    slow(x): takes long\n"
    assert edit_config_text(text, PYTEST_INI, [_add(PYTEST_INI, "slow")]) == text


def test_bom_and_crlf_survive_a_rename() -> None:
    text = "\ufeff[tool:pytest]\r\nmarkers =\r\n    a"
    edit = ConfigEdit(PYTEST_INI, "rename-section", ("[tool:pytest]", "[pytest]"))
    assert (
        edit_config_text(text, PYTEST_INI, [edit])
        == "\ufeff[pytest]\r\nmarkers =\r\n    a"
    )


def test_new_key_goes_after_the_last_value_before_trailing_comments() -> None:
    text = (
        "[tool.pytest.ini_options]\n"
        "testpaths = [\n    'tests',\n]\n"
        "# about the next table\n\n"
        "[tool.other]\nx = 1\n"
    )
    result = edit_config_text(text, PYPROJECT, [_add(PYPROJECT, "slow")])

    assert result == text.replace("]\n# about", ']\nmarkers = ["slow"]\n# about')


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        (
            PYPROJECT,
            "[tool.pytest.ini_options]\r\nmarkers = [\r\n\t# one\r\n\r\n\t# two\r\n]\r\n",
            (
                "[tool.pytest.ini_options]\r\nmarkers = [\r\n\t# one\r\n\r\n\t# two\r\n"
                '\t"a",\r\n\t"b: why",\r\n]\r\n'
            ),
        ),
        (
            PYPROJECT,
            "[tool.pytest.ini_options]\nmarkers = [ # kept on its line\n  ]\n",
            (
                "[tool.pytest.ini_options]\nmarkers = [ # kept on its line\n"
                '    "a",\n    "b: why",\n  ]\n'
            ),
        ),
        (
            PYTEST_INI,
            "[pytest]\nmarkers =\n  ; one\n  # two\n",
            "[pytest]\nmarkers =\n  ; one\n  # two\n  a\n  b: why\n",
        ),
    ],
)
def test_entries_go_below_the_comments_of_an_empty_list(
    path: Path, text: str, expected: str
) -> None:
    result = edit_config_text(text, path, [_add(path, "a", "b: why")])

    assert result == expected
    assert edit_config_text(result, path, [_add(path, "a")]) == result


def test_quote_characters_are_escaped() -> None:
    text = "[tool.pytest.ini_options]\nmarkers = ['a']\n"
    result = edit_config_text(text, PYPROJECT, [_add(PYPROJECT, 'b: it\'s "x"')])
    assert _markers(result) == ["a", 'b: it\'s "x"']


@pytest.mark.parametrize(
    "text",
    [
        "[tool.pytest.ini_options\n",
        "[pytest]\nmarkers = a\nmarkers = b\n",
    ],
)
def test_unusual_or_broken_files_are_left_alone(text: str) -> None:
    path = PYTEST_INI if text.startswith("[pytest]") else PYPROJECT
    assert edit_config_text(text, path, [_add(path, "zzz")]) == text


@pytest.mark.parametrize(
    ("markers", "expected"),
    [
        ('"""\n    a\n"""', '"""\n    a\n    b: why so\n"""'),
        ('"""a"""', '"""a\nb: why so"""'),
        ("'a'", '"a\\nb: why so"'),
    ],
)
def test_a_markers_string_gets_one_line_per_entry(markers: str, expected: str) -> None:
    text = f"[tool.pytest.ini_options]\nmarkers = {markers}\n"

    result = edit_config_text(text, PYPROJECT, [_add(PYPROJECT, "b: why\nso")])

    assert result == f"[tool.pytest.ini_options]\nmarkers = {expected}\n"
    assert edit_config_text(result, PYPROJECT, [_add(PYPROJECT, "b")]) == result


def test_a_markers_string_keeps_crlf() -> None:
    text = '[tool.pytest.ini_options]\r\nmarkers = """\r\n  a\r\n"""\r\n'

    result = edit_config_text(text, PYPROJECT, [_add(PYPROJECT, "b")])

    assert result == text.replace("a\r\n", "a\r\n  b\r\n")


def test_dotted_key_layout_falls_back_to_tomlkit() -> None:
    text = '[tool.pytest]\nini_options.markers = ["a"]  # keep\n'
    result = edit_config_text(text, PYPROJECT, [_add(PYPROJECT, "b")])
    assert _markers(result) == ["a", "b"]
    assert "# keep" in result


def test_apply_writes_only_on_change(tmp_path: Path) -> None:
    path = tmp_path / "pytest.ini"
    assert apply_config_edits(path, [_add(path, "slow")], tmp_path).written
    mtime = path.stat().st_mtime_ns
    again = apply_config_edits(path, [_add(path, "slow")], tmp_path)
    assert not again.written
    assert again.problem is None
    assert path.stat().st_mtime_ns == mtime
    assert path.read_text() == "[pytest]\nmarkers =\n    slow\n"


def test_apply_leaves_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "tox.ini"
    data = b"[pytest]\nmarkers =\n    slow: caf\xe9\n"
    path.write_bytes(data)

    outcome = apply_config_edits(path, [_add(path, "fast")], tmp_path)

    assert not outcome.written
    assert outcome.problem == "is not valid UTF-8; not fixed"
    assert path.read_bytes() == data


def test_apply_refuses_a_link_out_of_the_project(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "project").mkdir()
    path = tmp_path / "project" / "pytest.ini"
    path.symlink_to(tmp_path / "outside" / "pytest.ini")

    outcome = apply_config_edits(path, [_add(path, "fast")], tmp_path / "project")

    assert outcome.problem == (
        "is a symbolic link to a file outside the project; not fixed"
    )
    assert (tmp_path / "outside" / "pytest.ini").read_text() == "[pytest]\n"


def _apply_one(path: str, name: str) -> None:
    target = Path(path)
    edits = [_add(target, name), _add(target, "shared")]
    apply_config_edits(target, edits, target.parent)


def test_parallel_fixers_never_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.pytest.ini_options]\nmarkers = [\n    "a",\n]\n')
    names = [f"m{i}" for i in range(12)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(6) as pool:
        pool.starmap(_apply_one, [(str(path), n) for n in names])

    markers = _markers(path.read_text())
    assert sorted(markers) == sorted(["a", "shared", *names])
