"""Applying `ConfigEdit`s to config files: pure on text, atomic on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from asynclint.markers.facts import marker_name
from asynclint.markers.ini_edits import add_ini_markers, rename_ini_section
from asynclint.markers.toml_edits import add_toml_markers, rename_toml_table
from asynclint.types import ConfigEdit
from asynclint.writing import locked, write_atomic

_BOM = "\ufeff"


def edit_config_text(text: str, path: Path, edits: Sequence[ConfigEdit]) -> str:
    """The text after applying `edits` (all meant for `path`); idempotent.

    Renames go first, then every "add-markers" edit merged into one, each
    name once; the file's kind comes from `path`'s name.
    """
    toml = path.suffix == ".toml"
    for edit in edits:
        if edit.action == "rename-section" and len(edit.values) == 2:
            old, new = edit.values
            rename = rename_toml_table if toml else rename_ini_section
            text = rename(text, old, new)
    entries = _merged(edit for edit in edits if edit.action == "add-markers")
    if not entries:
        return text
    if toml:
        dedicated = path.name in ("pytest.toml", ".pytest.toml")
        return add_toml_markers(text, dedicated, entries)
    section = "tool:pytest" if path.suffix == ".cfg" else "pytest"
    return add_ini_markers(text, section, entries)


def _merged(edits: object) -> list[str]:
    """One entry per marker name, preferring an entry with a description."""
    chosen: dict[str, str] = {}
    for edit in edits:  # type: ignore[attr-defined]
        for entry in edit.values:
            name = marker_name(entry)
            if name not in chosen or (":" in entry and ":" not in chosen[name]):
                chosen[name] = entry.strip()
    return list(chosen.values())


def apply_config_edits(path: Path, edits: Sequence[ConfigEdit]) -> bool:
    """Apply `edits` to the file at `path`; whether its bytes changed.

    Runs under the file's lock and re-reads it there, so parallel fixers
    each see the previous one's result and never add an entry twice.
    """
    with locked(path):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = b""
        text = data.decode("utf-8", "surrogateescape")
        edited = edit_config_text(text, path, edits)
        new_data = edited.encode("utf-8", "surrogateescape")
        if new_data == data:
            return False
        write_atomic(path, new_data)
        return True
