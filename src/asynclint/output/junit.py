"""The JUnit XML format, for CI systems that show test reports.

One `testsuite` per file, named by its display path. Each violation is a
`testcase` (name `CODE slug at line:col`, classname the path) holding a
`failure` whose `type` is the code and whose `message` is the message; a file
that could not be checked is a testcase named `check` holding an `error`
whose `type` is its label. Characters XML 1.0 cannot carry are written as
`\\uXXXX`-style escapes.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from asynclint.output.file_errors import error_location, error_text
from asynclint.output.links import rule_slug
from asynclint.output.paths import display_path
from asynclint.output.report import Report
from asynclint.types import FileError, Violation

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    """An XML document with an XML declaration, ending in a newline."""
    everything = report.in_order()
    suites: dict[str, list[Violation | FileError]] = {}
    for entry in everything:
        suites.setdefault(display_path(entry.path, report.cwd), []).append(entry)

    root = ElementTree.Element("testsuites", _counts("asynclint", everything))
    for path, entries in suites.items():
        suite = ElementTree.SubElement(root, "testsuite", _counts(path, entries))
        for entry in entries:
            _add_case(suite, path, entry, report)
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def xml_safe(text: str) -> str:
    """`text` with characters XML 1.0 forbids replaced by visible escapes."""
    return _NOT_XML.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def _counts(name: str, entries: list[Violation | FileError]) -> dict[str, str]:
    failures = sum(isinstance(entry, Violation) for entry in entries)
    return {
        "name": xml_safe(name),
        "tests": str(len(entries)),
        "failures": str(failures),
        "errors": str(len(entries) - failures),
    }


def _add_case(
    suite: ElementTree.Element,
    path: str,
    entry: Violation | FileError,
    report: Report,
) -> None:
    if isinstance(entry, Violation):
        slug = rule_slug(entry.code)
        name = f"{entry.code} {slug}" if slug else entry.code
        case = _case(suite, f"{name} at {entry.line}:{entry.column}", path)
        case.set("line", str(entry.line))
        text = f"{path}:{entry.line}:{entry.column}: {entry.code} {entry.message}"
        _child(case, "failure", entry.message, entry.code, text)
        return

    label = error_text(entry)
    case = _case(suite, "check", path)
    if entry.line > 0:
        case.set("line", str(entry.line))
    text = f"{error_location(entry, report.cwd)}: {label.label}: {label.detail}"
    _child(case, "error", label.detail, label.label, text)


def _case(suite: ElementTree.Element, name: str, path: str) -> ElementTree.Element:
    attributes = {"name": xml_safe(name), "classname": xml_safe(path)}
    attributes["file"] = xml_safe(path)
    return ElementTree.SubElement(suite, "testcase", attributes)


def _child(
    case: ElementTree.Element, tag: str, message: str, kind: str, text: str
) -> None:
    child = ElementTree.SubElement(
        case, tag, {"message": xml_safe(message), "type": xml_safe(kind)}
    )
    child.text = xml_safe(text)
