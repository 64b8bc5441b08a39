"""The fixer-made edits of earlier reports, kept with the cached analyses.

Showing a fix as text edits (JSON, SARIF) for a block rewrite or an added
`await` means parsing the file with LibCST and applying the fix, a second
or more for a large file. A warm run reports the same findings on the same
texts, so the edits are kept, keyed by a digest of the text they were made
against and the violation, in the cache directory of the run (whose name
already stands for asynclint's own files and the settings).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from pathlib import Path

from asynclint.output import TextEdit
from asynclint.types import Violation
from asynclint.writing import locked, write_atomic

logger = logging.getLogger(__name__)

Key = tuple[str, Violation]
_FILE = "edits.pickle"


def digest(text: str) -> str:
    """What identifies the text edits were made against."""
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class EditMemo:
    """Edits by (text digest, violation); a run keeps only what it used."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / _FILE if directory is not None else None
        self.kept: dict[Key, list[TextEdit]] = self._load()
        self.used: dict[Key, list[TextEdit]] = {}

    def get(self, key: Key) -> list[TextEdit] | None:
        found = self.kept.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: Key, edits: list[TextEdit]) -> None:
        self.used[key] = edits

    def save(self) -> None:
        """Keep this run's edits for the next (only when they changed)."""
        if self.path is None or self.used == self.kept:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with locked(self.path):
                data = pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL)
                write_atomic(self.path, data, durable=False)
        except OSError as error:
            logger.debug("cannot keep the edits in %s: %s", self.path, error)

    def _load(self) -> dict[Key, list[TextEdit]]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as handle:
                kept = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return {}
        return kept if isinstance(kept, dict) else {}
