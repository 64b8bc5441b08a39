"""Loading `pytest.ini`, `.pytest.ini`, `tox.ini` and `setup.cfg`."""

from __future__ import annotations

from pathlib import Path

from asynclint.markers.configs import (
    READ_SETTINGS,
    IgnoredSection,
    MarkerLine,
    PytestConfig,
    split_addopts,
)
from asynclint.markers.ini import IniDocument, IniSection, parse_ini


def load_ini_config(path: Path, text: str) -> PytestConfig:
    """What pytest reads from one INI-style config file."""
    document = parse_ini(text)
    if document.error is not None:
        problem = f"cannot be parsed: {document.error}"
        return PytestConfig(
            path, True, problem=problem, problem_line=document.error_line
        )
    if path.name == "setup.cfg":
        return _setup_cfg(path, document)
    dedicated = path.name in ("pytest.ini", ".pytest.ini")
    ignored = _misnamed(document, "tool:pytest", "pytest")
    section = document.section("pytest")
    if section is None:
        # pytest.ini counts as the config even without a [pytest] section.
        return PytestConfig(path, dedicated, ignored=ignored)
    return _from_section(path, section, ignored)


def _setup_cfg(path: Path, document: IniDocument) -> PytestConfig:
    section = document.section("tool:pytest")
    ignored = _misnamed(document, "pytest", "tool:pytest")
    if section is None:
        fatal = tuple(
            IgnoredSection(s.header, s.line, s.replacement, fatal=True) for s in ignored
        )
        return PytestConfig(path, bool(fatal), ignored=fatal)
    return _from_section(path, section, ignored)


def _misnamed(
    document: IniDocument, wrong: str, right: str
) -> tuple[IgnoredSection, ...]:
    section = document.section(wrong)
    if section is None:
        return ()
    # Renaming onto an existing section would make the file unparsable.
    replacement = None if document.section(right) else f"[{right}]"
    return (IgnoredSection(f"[{wrong}]", section.line, replacement),)


def _from_section(
    path: Path, section: IniSection, ignored: tuple[IgnoredSection, ...]
) -> PytestConfig:
    markers: list[MarkerLine] = []
    entry = section.get("markers")
    if entry is not None:
        markers = [MarkerLine(text, line) for line, text in entry.parts if text]
    addopts = section.get("addopts")
    settings = {}
    for key in READ_SETTINGS:
        value = section.get(key)
        if value is not None:
            settings[key] = value.text
    return PytestConfig(
        path,
        True,
        section_line=section.line,
        markers=tuple(markers),
        addopts=split_addopts(addopts.text) if addopts else (),
        addopts_line=addopts.line if addopts else section.line,
        settings=settings,
        ignored=ignored,
    )
