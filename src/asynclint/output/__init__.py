"""Rendering a run's report: the formats for stdout and the texts for stderr."""

from __future__ import annotations

import importlib

from asynclint.output.report import Report, TextEdit
from asynclint.output.summary import (
    applied_fixes,
    migration_summary,
    statistics,
    summary,
)

__all__ = [
    "FORMATS",
    "Report",
    "TextEdit",
    "applied_fixes",
    "migration_summary",
    "render",
    "statistics",
    "summary",
]

# Each format's module is imported only when that format is asked for: the
# XML and SARIF writers cost more to import than a warm run takes per file.
FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github", "junit")


def render(report: Report, fmt: str) -> str:
    """The report in format `fmt`, one of `FORMATS`; ValueError for others."""
    if fmt not in FORMATS:
        choices = ", ".join(FORMATS)
        raise ValueError(f"unknown output format {fmt!r}; choose one of {choices}")
    module = importlib.import_module(f"asynclint.output.{fmt}")
    rendered: str = module.render(report)
    return rendered
