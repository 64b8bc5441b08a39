"""The SARIF 2.1.0 format, as GitHub code scanning and other viewers read it.

One run: the driver lists every asynclint rule (and any other code that
appears), each result points at its rule by id and index, locations are
relative to `%SRCROOT%` (the working directory) when inside it, and columns
count Unicode code points, 1-based, with exclusive ends. Files that could not
be checked become tool execution notifications of level "error".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from asynclint import __version__, rules
from asynclint.output.file_errors import error_column, has_place
from asynclint.output.links import HOMEPAGE, rule_url
from asynclint.output.paths import artifact_uri, directory_uri, printable
from asynclint.output.report import Report, TextEdit
from asynclint.types import CodeRange, FileError, Violation

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"

JsonObject = dict[str, object]


def render(report: Report) -> str:
    """A SARIF log with one run, indented, ending in a newline."""
    codes = sorted({rule.code for rule in rules.all_rules()} | _codes(report))
    index = {code: position for position, code in enumerate(codes)}
    run: JsonObject = {
        "tool": {
            "driver": {
                "name": "asynclint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_rule(code) for code in codes],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {ROOT: {"uri": directory_uri(report.cwd)}},
        "results": [_result(item, index, report) for item in report.violations],
        "invocations": [_invocation(report)],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _codes(report: Report) -> set[str]:
    return {violation.code for violation in report.violations}


def _rule(code: str) -> JsonObject:
    rule = rules.rule_for_code(code)
    if rule is None:
        return {"id": code, "shortDescription": {"text": code}}

    documented = bool((rule.__doc__ or "").strip())
    short = rule.summary() if documented else rule.slug
    full = rule.explanation() if documented else rule.slug
    entry: JsonObject = {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": "error"},
    }
    url = rule_url(rule.code)
    if url is not None:
        entry["helpUri"] = url
    return entry


def _result(violation: Violation, index: dict[str, int], report: Report) -> JsonObject:
    location = _location(violation, report)
    result: JsonObject = {
        "ruleId": violation.code,
        "ruleIndex": index[violation.code],
        "level": "error",
        "message": {"text": printable(violation.message)},
        "locations": [location],
    }
    edits = report.edits.get(violation, ())
    if violation.fix is not None and edits:
        fix = _fix(violation.fix.description, violation, edits, report)
        result["fixes"] = [fix]
    return result


def _location(violation: Violation, report: Report) -> JsonObject:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(violation.path, report),
            "region": _region(violation.range),
        }
    }


def _artifact(path: Path, report: Report) -> JsonObject:
    uri, relative = artifact_uri(path, report.cwd)
    return {"uri": uri, "uriBaseId": ROOT} if relative else {"uri": uri}


def _region(where: CodeRange) -> JsonObject:
    start, end = where.start, max(where.start, where.end)
    return {
        "startLine": start.line,
        "startColumn": start.column + 1,
        "endLine": end.line,
        "endColumn": end.column + 1,
    }


def _fix(
    description: str,
    violation: Violation,
    edits: Sequence[TextEdit],
    report: Report,
) -> JsonObject:
    """One SARIF fix: the edits of each file it changes (a marker
    registration changes the pytest config, not the violation's file)."""
    by_file: dict[Path, list[JsonObject]] = {}
    for edit in edits:
        by_file.setdefault(edit.path or violation.path, []).append(
            {
                "deletedRegion": _region(CodeRange(edit.start, edit.end)),
                "insertedContent": {"text": edit.content},
            }
        )
    return {
        "description": {"text": printable(description)},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(path, report),
                "replacements": replacements,
            }
            for path, replacements in by_file.items()
        ],
    }


def _invocation(report: Report) -> JsonObject:
    notifications = [_notification(error, report) for error in report.errors]
    # The run itself completed; files it could not check are notifications.
    invocation: JsonObject = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(error: FileError, report: Report) -> JsonObject:
    physical: JsonObject = {"artifactLocation": _artifact(error.path, report)}
    if has_place(error):
        physical["region"] = {
            "startLine": error.line,
            "startColumn": error_column(error),
        }
    return {
        "level": "error",
        "message": {"text": printable(error.message)},
        "locations": [{"physicalLocation": physical}],
    }
