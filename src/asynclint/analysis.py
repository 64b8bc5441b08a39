"""What checking one file found: the unit the cache stores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.types import FileError, Violation

if TYPE_CHECKING:
    from asynclint import markers, suppression


@dataclass(frozen=True, slots=True)
class Analysis:
    """What checking one file's text found, ready to cache."""

    path: Path
    violations: tuple[Violation, ...]
    error: FileError | None
    facts: markers.MarkerFacts | None
    suppressions: suppression.Suppressions | None
    dependencies: tuple[Path, ...]
    # What the findings assume about files that may not exist yet: for each
    # method answered "no subclass redefines it as the other kind", its name,
    # whether it is async, and a digest of the files defining the name as
    # the other kind (override_answers.py). A new such file may add one.
    assumptions: tuple[Assumption, ...] = ()


Assumption = tuple[str, bool, str]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
