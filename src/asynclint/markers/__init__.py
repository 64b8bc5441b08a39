"""The pytest marker and config family: facts, judgement and config edits."""

from __future__ import annotations

from asynclint.markers.edits import apply_config_edits, edit_config_text
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.judge import check
from asynclint.markers.scan import file_facts

__all__ = [
    "MarkerFacts",
    "apply_config_edits",
    "check",
    "edit_config_text",
    "file_facts",
]
