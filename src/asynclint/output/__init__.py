"""Rendering a run's report: the formats for stdout and the texts for stderr."""

from __future__ import annotations

from collections.abc import Callable

from asynclint.output import github, json, junit, sarif, text
from asynclint.output.report import Report, TextEdit
from asynclint.output.summary import applied_fixes, statistics, summary

__all__ = [
    "FORMATS",
    "Report",
    "TextEdit",
    "applied_fixes",
    "render",
    "statistics",
    "summary",
]

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}

FORMATS: tuple[str, ...] = tuple(_RENDERERS)


def render(report: Report, fmt: str) -> str:
    """The report in format `fmt`, one of `FORMATS`; ValueError for others."""
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        choices = ", ".join(FORMATS)
        raise ValueError(f"unknown output format {fmt!r}; choose one of {choices}")
    return renderer(report)
