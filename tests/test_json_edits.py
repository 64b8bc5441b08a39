"""The edits in `--output-format json` reproduce what `--fix` writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint.config import Options, find_config, merge, read_config
from asynclint.discovery import discover
from asynclint.engine import RunOptions, run
from asynclint.fixer import apply_fixes
from asynclint.fixing import same_ending
from asynclint.index import read_source
from asynclint.markers import edit_config_text
from asynclint.output import TextEdit
from asynclint.textedits import edits_for
from asynclint.types import CodePosition, ConfigEdit

CASES = Path(__file__).resolve().parents[2] / "shared" / "cases"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", "--no-cache", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def _apply(text: str, edit: dict[str, object]) -> str:
    lines = text.split("\n")
    start, end = edit["location"], edit["end_location"]
    assert isinstance(start, dict) and isinstance(end, dict)

    def offset(row: int, column: int) -> int:
        return sum(len(line) + 1 for line in lines[: row - 1]) + column - 1

    first = offset(start["row"], start["column"])
    last = offset(end["row"], end["column"])
    return text[:first] + str(edit["content"]) + text[last:]


def test_single_edit_matches_fix(tmp_path: Path) -> None:
    project = tmp_path / "p"
    package = project / "echo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "server.py").write_text(
        "import asyncio\n\n\n"
        "async def handle(reader, writer: asyncio.StreamWriter):\n"
        "    writer.write(b'x')\n"
        "    await writer.write(b'y')\n"
    )
    report = json.loads(_run("--output-format", "json", ".", cwd=project).stdout)
    assert [entry["code"] for entry in report] == ["ASL101"]
    (edit,) = report[0]["fix"]["edits"]
    original = (package / "server.py").read_text()
    expected = _apply(original, edit)
    shutil.copytree(project, tmp_path / "fixed")
    _run("--fix", ".", cwd=tmp_path / "fixed")
    assert (tmp_path / "fixed/echo/server.py").read_text() == expected


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "service"


def _apply_all(edits: list[dict[str, object]]) -> None:
    """Apply `edits` (each naming its file) to the files, last first."""
    by_file: dict[str, list[dict[str, object]]] = {}
    for edit in edits:
        by_file.setdefault(str(edit["filename"]), []).append(edit)
    for name, file_edits in by_file.items():
        path = Path(name)
        text = path.read_text() if path.exists() else ""
        for edit in sorted(file_edits, key=_start, reverse=True):
            text = _apply(text, edit)
        path.write_text(text)


def _start(edit: dict[str, object]) -> tuple[int, int]:
    where = edit["location"]
    assert isinstance(where, dict)
    return where["row"], where["column"]


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".asynclint_cache" not in path.parts
    }


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "service"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.mark.parametrize("unsafe", [(), ("--unsafe-fixes",)])
def test_every_fix_of_the_example_carries_its_edits(
    example: Path, unsafe: tuple[str, ...]
) -> None:
    result = _run("--output-format", "json", *unsafe, ".", cwd=example)
    report = json.loads(result.stdout)

    fixes = {(e["code"], e["location"]["row"]): e["fix"] for e in report if e["fix"]}

    assert {key for key, fix in fixes.items() if not fix["edits"]} == set()
    assert ("ASL201", 29) in fixes and ("ASL401", 33) in fixes
    assert fixes[("ASL301", 42)]["applicability"] == "unsafe"
    registration = fixes[("ASL401", 33)]["edits"]
    assert [edit["filename"] for edit in registration] == [
        str(example / "pyproject.toml")
    ]


def test_a_warm_run_shows_the_edits_it_kept(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from asynclint import fixer
    from asynclint.cli import main

    monkeypatch.chdir(example)
    args = ["--cache-dir", str(example / "cache"), "--output-format", "json", "."]
    cold = CliRunner().invoke(main, args, catch_exceptions=False)

    def refuse(*_: object) -> None:
        raise AssertionError("the fixer ran again for edits the cache keeps")

    monkeypatch.setattr(fixer, "each_alone", refuse)
    warm = CliRunner().invoke(main, args, catch_exceptions=False)
    assert warm.stdout == cold.stdout
    assert '"edits": []' not in warm.stdout


def test_every_fix_of_the_example_is_a_sarif_fix(example: Path) -> None:
    result = _run("--output-format", "sarif", ".", cwd=example)
    log = json.loads(result.stdout)

    results = log["runs"][0]["results"]
    fixed = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r
        for r in results
        if "fixes" in r
    }

    assert {("ASL201", 29), ("ASL202", 36), ("ASL301", 30), ("ASL401", 33)} <= set(
        fixed
    )
    (change,) = fixed[("ASL401", 33)]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "pyproject.toml"


@pytest.mark.parametrize("code", ["ASL201", "ASL202", "ASL301", "ASL401"])
def test_the_edits_are_what_fix_writes(
    example: Path, tmp_path: Path, code: str
) -> None:
    fixed = tmp_path / "fixed"
    shutil.copytree(example, fixed)
    report = json.loads(
        _run("--output-format", "json", "--select", code, ".", cwd=example).stdout
    )
    safe = [e for e in report if e["fix"] and e["fix"]["applicability"] == "safe"]
    assert safe

    _apply_all([edit for entry in safe for edit in entry["fix"]["edits"]])
    _run("--fix", "--select", code, ".", cwd=fixed)

    assert _tree(example) == _tree(fixed)


def test_an_unsafe_block_rewrite_has_the_edits_of_unsafe_fixes(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "jobs.py").write_text(
        "from __future__ import annotations\n\nimport subprocess\n\n\n"
        "async def job():\n    subprocess.run(['true'])\n"
    )
    fixed = tmp_path / "fixed"
    shutil.copytree(project, fixed)
    report = json.loads(_run("--output-format", "json", ".", cwd=project).stdout)
    assert [entry["code"] for entry in report] == ["ASL301"]
    assert report[0]["fix"]["applicability"] == "unsafe"

    _apply_all(report[0]["fix"]["edits"])
    _run("--fix", "--unsafe-fixes", ".", cwd=fixed)

    assert (project / "jobs.py").read_text() == (fixed / "jobs.py").read_text()
    written = (fixed / "jobs.py").read_text()
    assert "await asyncio.to_thread(subprocess.run, ['true'])" in written


RULE_FIXTURES = Path(__file__).parent / "fixtures" / "rules"
FIRING = sorted(
    project
    for project in RULE_FIXTURES.glob("*/*")
    if project.is_dir()
    and not project.name.startswith("no_")
    and not project.name.endswith(".fixed")
)


@pytest.mark.parametrize(
    "project", FIRING, ids=[p.relative_to(RULE_FIXTURES).as_posix() for p in FIRING]
)
def test_each_fix_of_every_rule_fixture_has_the_edits_the_fixer_makes(
    project: Path, tmp_path: Path
) -> None:
    """Applied alone, a fix's edits give the text the fixer makes of the
    file with that fix alone (the markers package, for a config edit); a
    fix the fixer refuses there has none."""
    root = tmp_path / "p"
    shutil.copytree(project, root)
    settings = merge(root, read_config(find_config(root)), Options())
    files = discover((root,), root, (), True).files
    result = run(files, settings, RunOptions(jobs=1))
    texts = {path: read_source(path) for path in files}

    edits = edits_for(result.violations, texts)

    for violation in result.violations:
        fix = violation.fix
        if fix is None:
            continue
        if isinstance(fix.replacement, ConfigEdit):
            path = fix.replacement.path
            before = path.read_text() if path.exists() else ""
            expected = edit_config_text(before, path, [fix.replacement])
        else:
            path, before = violation.path, texts[violation.path]
            outcome = apply_fixes(before, [fix])
            if not outcome.applied:
                assert edits[violation] == [], violation
                continue
            expected = same_ending(before, outcome.text)
        assert edits[violation], violation
        assert {edit.path or violation.path for edit in edits[violation]} == {path}
        assert _applied(before, edits[violation]) == expected, violation


def _applied(text: str, edits: list[TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        lines = text.split("\n")

        def offset(position: CodePosition) -> int:
            return sum(len(line) + 1 for line in lines[: position.line - 1]) + (
                position.column
            )

        text = text[: offset(edit.start)] + edit.content + text[offset(edit.end) :]
    return text


def test_a_fix_the_fixer_refuses_where_it_stands_is_not_offered(
    tmp_path: Path,
) -> None:
    """`await` in a generator expression's condition would make it
    asynchronous, and one in a class body is a syntax error: --fix leaves
    both, so the report offers no fix for them."""
    project = tmp_path / "p"
    shutil.copytree(RULE_FIXTURES / "ASL102" / "await_placement", project)

    result = _run("--output-format", "json", ".", cwd=project)
    report = json.loads(result.stdout)

    fixes = {entry["location"]["row"]: entry["fix"] for entry in report}
    assert sorted(fixes) == [6, 7, 8, 11]
    assert fixes[7] is None and fixes[11] is None
    assert fixes[6]["edits"] and fixes[8]["edits"]
    assert result.stderr == "Found 4 violations (2 fixable with --fix).\n"


@pytest.mark.parametrize(
    "ending", ["\n", "\r\n", ""], ids=["lf", "crlf", "no-final-line-break"]
)
def test_the_edits_hold_whatever_the_line_endings(
    tmp_path: Path, ending: str
) -> None:
    lines = [
        '"""Jobs."""',
        "",
        "",
        "def slow():",
        "    open('x').read()",
        "",
        "",
        "async def job():",
        "    slow()",
    ]
    body = (ending or "\n").join(lines) + ending
    project, fixed = tmp_path / "p", tmp_path / "fixed"
    project.mkdir()
    (project / "jobs.py").write_bytes(body.encode())
    shutil.copytree(project, fixed)
    report = json.loads(_run("--output-format", "json", ".", cwd=project).stdout)
    (entry,) = report

    text = (project / "jobs.py").read_bytes().decode()
    for edit in sorted(entry["fix"]["edits"], key=_start, reverse=True):
        text = _apply(text, edit)
    _run("--fix", ".", cwd=fixed)

    assert text == (fixed / "jobs.py").read_bytes().decode()
    assert "await asyncio.to_thread(slow)" in text
