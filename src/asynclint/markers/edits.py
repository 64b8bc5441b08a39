"""Applying `ConfigEdit`s to config files: pure on text, atomic on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from asynclint.markers.facts import marker_name
from asynclint.markers.ini_edits import add_ini_markers, rename_ini_section
from asynclint.markers.toml_edits import add_toml_markers, rename_toml_table
from asynclint.types import ConfigEdit
from asynclint.writing import WriteOutcome, rewrite_config


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


def apply_config_edits(
    path: Path, edits: Sequence[ConfigEdit], root: Path
) -> WriteOutcome:
    """Apply `edits` to the file at `path` in the project at `root`.

    The file is written the way fixed Python files are (writing.py): under
    its lock, re-read there so parallel fixers never add an entry twice,
    and not at all through a link out of the project.
    """
    return rewrite_config(path, lambda text: edit_config_text(text, path, edits), root)


def config_text(path: Path) -> str | None:
    """The text of a config file as the editors read it: empty when the
    file is missing, None when it cannot be read or is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return None
