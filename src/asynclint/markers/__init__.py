"""The pytest marker and config family: facts, judgement and config edits.

The public names load on first use: a run that only reads cached facts
(which unpickling imports) should not pay for the judge and the editors.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asynclint.markers.edits import (
        apply_config_edits,
        config_text,
        edit_config_text,
    )
    from asynclint.markers.facts import MarkerFacts
    from asynclint.markers.judge import check
    from asynclint.markers.scan import file_facts

__all__ = [
    "MarkerFacts",
    "apply_config_edits",
    "check",
    "config_text",
    "edit_config_text",
    "file_facts",
]

_HOMES = {
    "MarkerFacts": "asynclint.markers.facts",
    "apply_config_edits": "asynclint.markers.edits",
    "config_text": "asynclint.markers.edits",
    "edit_config_text": "asynclint.markers.edits",
    "check": "asynclint.markers.judge",
    "file_facts": "asynclint.markers.scan",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
