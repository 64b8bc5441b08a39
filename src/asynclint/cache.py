"""The persistent cache: per-file analyses keyed by content and dependencies.

For every file checked it keeps the file's stamp (mtime, size, content
hash), its analysis, and the stamp of every project module the analysis
looked at. An entry is used only when the file and all those modules are
unchanged, so a definition that turned async elsewhere invalidates the
findings of the files that relied on it.

Entries are spread over shard files by a hash of the path, and a shard is
read only when one of its files is looked up: a pre-commit run on five files
reads five small shards, not the whole tree's results.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint import __version__, suppression
from asynclint.analysis import Analysis, Assumption, content_hash
from asynclint.config import Settings
from asynclint.writing import locked, write_atomic

logger = logging.getLogger(__name__)

Stamp = tuple[int, int, str]  # mtime_ns, size, content hash
# Keys are plain strings and a clean file's analysis is stored as None:
# unpickling thousands of Path objects and empty analyses dominated warm runs.
Entry = tuple[
    Stamp, tuple[tuple[str, Stamp], ...], Analysis | None, tuple[Assumption, ...]
]
_SHARDS = 64
_SNAPSHOT = "snapshot.pickle"


class Clean(enum.Enum):
    """What the cache answers for a file that has nothing to report."""

    CLEAN = "clean"


CLEAN = Clean.CLEAN


def _shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % _SHARDS


@dataclass(slots=True)
class Cache:
    """The shards read so far, plus what this run adds."""

    directory: Path
    shards: dict[int, dict[str, Entry]] = field(default_factory=dict)
    added: dict[int, dict[str, Entry]] = field(default_factory=dict)
    stamps: dict[str, Stamp | None] = field(default_factory=dict)
    # Each looked-up file's dependencies, as its entry recorded them.
    looked_up: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Whether an entry's `Analysis.assumptions` still hold; set by the
    # engine (it takes a scan of the project). Without it, such an entry
    # is never used.
    judge: Callable[[tuple[Assumption, ...]], bool] | None = None

    @classmethod
    def open(
        cls, directory: Path, settings: Settings, unused_directives: bool = False
    ) -> Cache:
        """The cache of runs with these settings; runs that report unused
        suppressions keep their own (their analyses read every directive),
        and so does each Python version (what parses differs: a file in
        3.12 syntax is a syntax error to 3.11)."""
        python = "{}.{}".format(*sys.version_info[:2])
        key = hashlib.blake2b(
            f"{__version__}|{python}|{_code_stamp()}|{settings.fingerprint()}|"
            f"{settings.root}|{unused_directives}".encode(),
            digest_size=12,
        ).hexdigest()
        return cls(directory / f"results-{key}")

    def _entry(self, path: str) -> Entry | None:
        shard = _shard_of(path)
        if shard not in self.shards:
            self.shards[shard] = _load(self._shard_path(shard))
        return self.shards[shard].get(path)

    def _shard_path(self, shard: int) -> Path:
        return self.directory / f"{shard:02d}.pickle"

    def stamp(self, path: str) -> Stamp | None:
        """The file's (mtime, size, hash), or None if it cannot be read."""
        known = self._entry(path)
        return self._stamp(path, known[0] if known else None)

    def _stamp(self, path: str, recorded: Stamp | None) -> Stamp | None:
        """The stamp of `path`, once per run; the hash is recomputed only
        when the mtime or size differ from `recorded`."""
        if path in self.stamps:
            return self.stamps[path]
        stamp: Stamp | None = None
        try:
            info = os.stat(path)
            if recorded and recorded[:2] == (info.st_mtime_ns, info.st_size):
                stamp = recorded
            else:
                with open(path, "rb") as handle:
                    digest = content_hash(handle.read())
                stamp = (info.st_mtime_ns, info.st_size, digest)
        except OSError:
            stamp = None
        self.stamps[path] = stamp
        return stamp

    def had_findings(self, path: str) -> bool:
        """Whether the file's last analysis, whatever it was of, reported
        something (a file edited since most likely still does)."""
        entry = self._entry(path)
        return entry is not None and entry[2] is not None and bool(entry[2].violations)

    def lookup(self, path: str) -> Analysis | Clean | None:
        """The cached analysis of the file named `path` (absolute), `CLEAN`
        for a file with nothing to report, or None when it must be checked."""
        entry = self._entry(path)
        if entry is None:
            return None
        own, deps, analysis, assumptions = entry
        current = self.stamp(path)
        if current is None or current[2] != own[2]:
            return None
        for dep, recorded in deps:
            now = self._stamp(dep, recorded)
            if now is None or now[2] != recorded[2]:
                return None
        if assumptions and (self.judge is None or not self.judge(assumptions)):
            return None
        self.looked_up[path] = tuple(dep for dep, _ in deps)
        return CLEAN if analysis is None else analysis

    # -- the snapshot of a whole run ---------------------------------------
    #
    # A run over many files that changed nothing should cost about one
    # `stat` per file. The last such run's answers are kept in one file with
    # the (mtime, size) of every file it checked and every file those
    # depended on; when the same files are checked again and every one of
    # those stats is unchanged, the answers are used as they are, without
    # reading a shard. Anything else falls back to the per-file entries.
    # Known gap: the entries' assumptions (no new subclass file) are not
    # judged here, so a new file outside the checked paths but under an
    # import root (tests/ when only src/ is checked) goes unseen until a
    # checked file or a dependency changes; one among them changes `names`.

    def answer_all(self, names: Sequence[str]) -> dict[str, Analysis] | None:
        """The analyses with something to report, by file, when the last
        snapshot covers exactly `names` and nothing it depends on changed;
        a name missing from the answer is clean. None otherwise."""
        try:
            with open(self.directory / _SNAPSHOT, "rb") as handle:
                # The key is a pickle of its own, ahead of the answers, so
                # that a run over other files reads no further.
                if pickle.load(handle) != _digest(names):
                    return None
                stamps, answers = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as error:  # noqa: BLE001 - a broken cache is only a miss
            logger.debug("ignoring unreadable snapshot: %s", error)
            return None
        stat = os.stat
        for path, (mtime, size) in stamps.items():
            try:
                info = stat(path)
            except OSError:
                return None
            if info.st_mtime_ns != mtime or info.st_size != size:
                return None
        return answers  # type: ignore[no-any-return]

    def save_snapshot(
        self,
        names: Sequence[str],
        answers: dict[str, Analysis],
        dependencies: dict[str, tuple[str, ...]],
    ) -> None:
        """Keep this run's answers for `names` (see `answer_all`)."""
        stamps: dict[str, tuple[int, int]] = {}
        for path in {*names, *(d for deps in dependencies.values() for d in deps)}:
            stamp = self.stamps.get(path)
            if stamp is not None:
                stamps[path] = stamp[:2]
                continue
            try:
                info = os.stat(path)
            except OSError:
                return  # a file that cannot be read is checked every time
            stamps[path] = (info.st_mtime_ns, info.st_size)
        protocol = pickle.HIGHEST_PROTOCOL
        data = pickle.dumps(_digest(names), protocol) + pickle.dumps(
            (stamps, answers), protocol
        )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomic(self.directory / _SNAPSHOT, data, durable=False)
        except OSError as error:
            logger.debug("cannot write the snapshot in %s: %s", self.directory, error)

    def store(self, analysis: Analysis) -> None:
        key = str(analysis.path)
        own = self.stamp(key)
        if own is None:
            return
        deps = []
        for dep in map(str, analysis.dependencies):
            # A dependency's recorded stamp saves hashing it again, but only
            # from a shard already read: a pre-commit run's few files would
            # otherwise read most shards for the stamps of what they import.
            shard = self.shards.get(_shard_of(dep))
            recorded = shard.get(dep) if shard is not None else None
            stamp = self._stamp(dep, recorded[0] if recorded else None)
            if stamp is None:
                return
            deps.append((dep, stamp))
        kept = None if is_clean(analysis) else analysis
        entry = (own, tuple(deps), kept, analysis.assumptions)
        self.added.setdefault(_shard_of(key), {})[key] = entry

    def save(self) -> None:
        """Merge this run's entries into their shards, one shard at a time
        under a lock, so parallel runs (pre-commit) lose nothing."""
        if not self.added:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            for shard, entries in sorted(self.added.items()):
                path = self._shard_path(shard)
                with locked(path):
                    merged = _load(path)
                    merged.update(entries)
                    data = pickle.dumps(merged, protocol=pickle.HIGHEST_PROTOCOL)
                    write_atomic(path, data, durable=False)
        except OSError as error:
            logger.debug("cannot write the cache %s: %s", self.directory, error)


def _code_stamp() -> str:
    """The size and mtime of every file of asynclint itself (its code and
    its library data): a changed checker, installed in place or edited in a
    development checkout, starts a fresh cache instead of reading answers,
    or pickled objects of an older shape, that the old code wrote."""
    package = Path(__file__).parent
    stamps = []
    for directory, subdirs, names in os.walk(package):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".toml")):
                info = os.stat(os.path.join(directory, name))
                stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b("|".join(stamps).encode(), digest_size=8).hexdigest()


def is_clean(analysis: Analysis) -> bool:
    """Whether a run can forget everything about the file but its name."""
    return not (
        analysis.violations
        or analysis.facts
        or analysis.error
        # Kept for --warn-unused-ignores: a directive in a file with no
        # findings is exactly the unused kind.
        or (
            analysis.suppressions is not None
            and suppression.may_report_unused(analysis.suppressions)
        )
    )


def _digest(names: Sequence[str]) -> str:
    joined = "\0".join(names).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def _load(path: Path) -> dict[str, Entry]:
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except FileNotFoundError:
        return {}
    except Exception as error:  # noqa: BLE001 - a broken cache is only a miss
        logger.debug("ignoring unreadable cache %s: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}
