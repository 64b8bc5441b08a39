"""What a run sets up before it checks a file, from what earlier runs kept.

The cache directory holds more than per-file results: the import roots a
run over the whole tree found, and the library model with the user's
declarations. A run over a few files (a pre-commit hook) reads them back,
so that it resolves imports as the whole-tree run did and skips building
the model. The directory's name already stands for asynclint's own files
and the settings (cache.py), so nothing here is keyed again.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.analysis import Assumption
from asynclint.config import Settings

if TYPE_CHECKING:
    from asynclint import definition_scan
    from asynclint.checker import Checker
    from asynclint.library import LibraryModel

logger = logging.getLogger(__name__)

_ROOTS = "roots.txt"
_LIBRARY = "library.pickle"


def make_checker(
    settings: Settings,
    roots: Sequence[Path],
    keep: Path | None = None,
    unused_directives: bool = False,
) -> Checker:
    """A checker over `roots`, with the library model kept in `keep`."""
    from asynclint.checker import Checker

    library = library_model(settings, keep)
    return Checker(settings, library, roots, unused_directives)


class RunSetup:
    """A run's import roots, and what is worked out from them before any
    file is checked: whether cached entries' assumptions still hold."""

    def __init__(self, settings: Settings, names: Sequence[str], keep: Path | None):
        self.settings = settings
        self.names = names
        self.keep = keep
        self._roots: list[Path] | None = None
        self._kept_overrides = False
        self._scan: definition_scan.Definitions | None = None

    def get(self) -> list[Path]:
        """The files' import roots with those earlier runs kept (found once)."""
        if self._roots is None:
            from asynclint.index import import_roots

            paths = map(Path, self.names)
            known = _known_roots(self.keep)
            self._roots = import_roots(paths, self.settings.root, known)
            if self.keep is not None:
                _keep_roots(self.keep, self._roots)
        return self._roots

    def keep_overrides(self) -> None:
        """Point overrides.py and outlines.py at this run's cache
        directory, once."""
        if not self._kept_overrides:
            from asynclint import outlines, overrides

            overrides.keep_in(self.keep)
            outlines.keep_in(self.keep)
            self._kept_overrides = True

    def assumptions_hold(self, assumptions: tuple[Assumption, ...]) -> bool:
        """`Cache.judge`: the definition scan is made on the first entry
        that assumes something, and checking reuses it."""
        from asynclint import override_answers, overrides

        if self._scan is None:
            self.keep_overrides()
            self._scan = overrides.definitions(tuple(self.get()))
        return override_answers.assumptions_hold(assumptions, self._scan)


def _known_roots(keep: Path | None) -> list[Path]:
    """The import roots earlier runs found.

    A run over a few files finds only their roots; with the roots of the
    last run over the whole tree it resolves imports, and looks for
    subclasses (overrides.py), as that run did, so its findings are the
    same. A directory that is no longer an import root is dropped."""
    from asynclint.index import is_import_root

    try:
        text = (keep / _ROOTS).read_text(encoding="utf-8") if keep else ""
    except OSError:
        return []
    return [root for root in map(Path, text.splitlines()) if is_import_root(root)]


def _keep_roots(keep: Path, roots: Sequence[Path]) -> None:
    text = "".join(f"{root}\n" for root in roots)
    try:
        if (keep / _ROOTS).read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    _write(keep / _ROOTS, text.encode(), "the import roots")


def library_model(settings: Settings, keep: Path | None) -> LibraryModel:
    """The library model with the user's declarations, for the releases of
    the libraries the project requires (`LibraryModel.for_project`) and
    those installed beside asynclint (when it runs in the project's
    environment). Known gap: the cache follows the requirement files, not
    the environment, so installing an older release beside a kept cache
    shows in a file's answer only once the file or its imports change."""
    from asynclint.markers.dependencies import declared_requirements, packaging_files
    from asynclint.markers.plugins import installed_versions

    model = _shipped_model(settings, keep)
    root = settings.root
    requirements = declared_requirements([root])
    for name, version in installed_versions().items():
        if version:
            requirements.setdefault(name, []).append(f"{name}=={version}")
    return model.for_project(requirements, packaging_files(root))


def _shipped_model(settings: Settings, keep: Path | None) -> LibraryModel:
    """The shipped model with the user's declarations, kept in `keep`:
    reading it back is a tenth of building it, which a pre-commit run
    would otherwise do every time."""
    from asynclint.library import LibraryModel, build_model

    stored = keep / _LIBRARY if keep is not None else None
    if stored is not None:
        try:
            with open(stored, "rb") as handle:
                model = pickle.load(handle)
            if isinstance(model, LibraryModel):
                return model
        except Exception as error:  # noqa: BLE001 - a broken copy is rebuilt
            logger.debug("building the library model afresh: %s", error)
    model = build_model(settings.declarations)
    if stored is not None:
        _write(stored, pickle.dumps(model, pickle.HIGHEST_PROTOCOL), "the model")
    return model


def _write(path: Path, data: bytes, what: str) -> None:
    from asynclint.writing import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, durable=False)
    except OSError as error:
        logger.debug("cannot keep %s in %s: %s", what, path.parent, error)
