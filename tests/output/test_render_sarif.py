"""The SARIF format: valid against the 2.1.0 schema, and what GitHub reads."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from asynclint import __version__
from asynclint.output import Report, TextEdit, render
from asynclint.output.links import rule_url
from asynclint.rules.base import Rule
from asynclint.types import CodePosition, CodeRange, Violation

SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")

jsonschema = pytest.importorskip("jsonschema")


def _validate(log: object) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)


def _run(report: Report) -> Any:
    log = json.loads(render(report, "sarif"))
    _validate(log)
    (run,) = log["runs"]
    return run


@pytest.mark.usefixtures("fake_rules")
def test_full_report_is_valid_sarif(make_report: Callable[..., Report]) -> None:
    log = json.loads(render(make_report(), "sarif"))

    _validate(log)
    assert log["version"] == "2.1.0"


@pytest.mark.usefixtures("fake_rules")
def test_empty_report_is_valid_sarif(cwd: Path) -> None:
    run = _run(Report(cwd=cwd))

    assert run["results"] == []


def test_valid_with_the_rules_the_tree_really_has(
    make_report: Callable[..., Report],
) -> None:
    _run(make_report())


@pytest.mark.usefixtures("fake_rules")
def test_driver_describes_every_rule(
    make_report: Callable[..., Report], fake_rules: tuple[type[Rule], ...]
) -> None:
    driver = _run(make_report())["tool"]["driver"]

    assert driver["name"] == "asynclint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    for rule in fake_rules:
        entry = by_id[rule.code]
        assert entry["name"] == rule.slug
        assert entry["shortDescription"]["text"] == rule.summary()
        assert entry["fullDescription"]["text"] == rule.explanation()
        assert entry["helpUri"] == rule_url(rule.code)
    assert "ASL999" in by_id


@pytest.mark.usefixtures("fake_rules")
def test_results_point_at_their_rule_and_region(
    make_report: Callable[..., Report], cwd: Path, outside: Path
) -> None:
    report = make_report()

    run = _run(report)

    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert isinstance(results, list)
    assert len(results) == len(report.violations)
    for result, violation in zip(results, report.violations, strict=True):
        assert result["ruleId"] == violation.code
        assert rules[result["ruleIndex"]]["id"] == violation.code
        assert result["level"] == "error"
        assert result["message"]["text"] == violation.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        if violation.path == outside:
            assert "uriBaseId" not in artifact
            assert artifact["uri"] == outside.as_uri()
        else:
            assert artifact["uriBaseId"] == "%SRCROOT%"
            relative = violation.path.relative_to(cwd).as_posix()
            assert unquote(artifact["uri"]) == relative
            assert " " not in artifact["uri"]
        start, end = violation.range.start, violation.range.end
        assert physical["region"] == {
            "startLine": start.line,
            "startColumn": start.column + 1,
            "endLine": end.line,
            "endColumn": end.column + 1,
        }


@pytest.mark.usefixtures("fake_rules")
def test_root_and_column_kind_are_declared(
    make_report: Callable[..., Report], cwd: Path
) -> None:
    run = _run(make_report())

    assert run["columnKind"] == "unicodeCodePoints"
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == cwd.as_uri() + "/"


@pytest.mark.usefixtures("fake_rules")
def test_computed_edits_become_fixes(
    make_report: Callable[..., Report], awaited: Violation
) -> None:
    report = make_report(violations=[awaited], errors=[])

    (result,) = _run(report)["results"]

    (fix,) = result["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    edit = report.edits[awaited][0]
    assert replacement["deletedRegion"]["startColumn"] == edit.start.column + 1
    assert replacement["insertedContent"]["text"] == edit.content


@pytest.mark.usefixtures("fake_rules")
def test_an_edit_of_another_file_is_a_change_of_that_artifact(
    cwd: Path, make_report: Callable[..., Report], awaited: Violation
) -> None:
    at = CodePosition(3, 0)
    edits = {
        awaited: [
            TextEdit(CodePosition(3, 4), CodePosition(3, 10), ""),
            TextEdit(at, at, '    "slow",\n', cwd / "pyproject.toml"),
        ]
    }
    report = make_report(violations=[awaited], errors=[], edits=edits)

    (result,) = _run(report)["results"]

    (fix,) = result["fixes"]
    own, config = fix["artifactChanges"]
    assert own["artifactLocation"]["uri"] == "src/%C3%BCn%C3%AFcode/app.py"
    assert config["artifactLocation"] == {
        "uri": "pyproject.toml",
        "uriBaseId": "%SRCROOT%",
    }
    (insertion,) = config["replacements"]
    assert insertion["insertedContent"]["text"] == '    "slow",\n'


@pytest.mark.usefixtures("fake_rules")
def test_file_errors_are_notifications(
    make_report: Callable[..., Report], errors: list[object]
) -> None:
    run = _run(make_report(violations=[]))

    (invocation,) = run["invocations"]
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == len(errors)
    texts = {note["message"]["text"] for note in notes}
    assert "syntax error: invalid syntax" in texts
    assert all(note["level"] == "error" for note in notes)


@pytest.mark.usefixtures("fake_rules")
def test_the_schema_check_can_fail(make_report: Callable[..., Report]) -> None:
    log = json.loads(render(make_report(), "sarif"))
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    region["region"]["startColumn"] = 0

    with pytest.raises(jsonschema.ValidationError):
        _validate(log)


@pytest.mark.usefixtures("fake_rules")
def test_an_undecodable_file_name_keeps_its_bytes_in_the_uri(cwd: Path) -> None:
    where = CodeRange(CodePosition(1, 0), CodePosition(1, 1))
    path = cwd / "pkg" / os.fsdecode(b"caf\xe9.py")

    (result,) = _run(Report([Violation(path, where, "ASL101", "m")], cwd=cwd))[
        "results"
    ]

    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "pkg/caf%E9.py"
