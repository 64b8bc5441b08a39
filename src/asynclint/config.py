"""`[tool.asynclint]`: reading, validating and merging with the command line.

Three layers stay apart: the command-line options (`Options`), the raw
table read from one `pyproject.toml` (`FileConfig`), and the merged
`Settings` the engine uses.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# What every rule code starts with: selecting it selects every rule.
CODE_PREFIX = "ASL"


class ConfigError(Exception):
    """A config file that cannot be used; the message names file and key."""


_LIST_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "exclude",
    "extend-exclude",
    "coroutine-functions",
    "sync-functions",
    "blocking-calls",
    "async-context-managers",
    "sync-context-managers",
)
_TABLE_KEYS = ("per-file-ignores", "marker-descriptions")
_BOOL_KEYS = ("respect-gitignore",)
# Keys whose values (or, for a table, names) are gitignore-style patterns.
_PATTERN_KEYS = ("exclude", "extend-exclude", "per-file-ignores")
DECLARATION_KEYS = (
    "coroutine-functions",
    "sync-functions",
    "blocking-calls",
    "async-context-managers",
    "sync-context-managers",
)


@dataclass(frozen=True, slots=True)
class FileConfig:
    """The `[tool.asynclint]` table of one file, checked for types."""

    path: Path | None
    values: Mapping[str, object]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line asked for (None: not given)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    config: Path | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """The merged settings for a run."""

    root: Path
    select: tuple[str, ...] = (CODE_PREFIX,)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    declarations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    marker_descriptions: Mapping[str, str] = field(default_factory=dict)
    config_path: Path | None = None
    # Set only by `asynclint migrate --now-async`: callees every call of
    # which must now be awaited, whatever happens to the result.
    migration_targets: tuple[str, ...] = ()

    def reports(self, path: Path, code: str) -> bool:
        """Whether no `per-file-ignores` pattern matching `path` (relative to
        the root) names `code` or a prefix of it."""
        if not self.per_file_ignores:
            return True
        from pathspec import GitIgnoreSpec

        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            relative = path.as_posix()
        for pattern, codes in self.per_file_ignores.items():
            spec = GitIgnoreSpec.from_lines([pattern])
            if spec.match_file(relative) and any(code.startswith(c) for c in codes):
                return False
        return True

    def enabled(self, code: str) -> bool:
        """Whether `code` is selected and not ignored (longest prefix wins)."""
        best_select = max(
            (len(p) for p in self.select if code.startswith(p)), default=-1
        )
        best_ignore = max(
            (len(p) for p in self.ignore if code.startswith(p)), default=-1
        )
        return best_select >= 0 and best_select > best_ignore

    def fingerprint(self) -> str:
        """A stable text of everything that can change findings (cache key)."""
        parts = [
            ",".join(self.select),
            ",".join(self.ignore),
            repr(sorted(self.per_file_ignores.items())),
            repr(sorted(self.declarations.items())),
            repr(sorted(self.marker_descriptions.items())),
            ",".join(self.migration_targets),
        ]
        return "|".join(parts)


def find_config(start: Path) -> Path | None:
    """The nearest `pyproject.toml` at or above `start` with a tool.asynclint table,
    else the nearest `pyproject.toml` at all."""
    start = start.absolute()
    directory = start if start.is_dir() else start.parent
    nearest: Path | None = None
    for candidate in [directory, *directory.parents]:
        path = candidate / "pyproject.toml"
        if path.is_file():
            nearest = nearest or path
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return path
            if isinstance(data.get("tool"), dict) and "asynclint" in data["tool"]:
                return path
    return nearest


def read_config(path: Path | None) -> FileConfig:
    """Read and type-check `[tool.asynclint]` from `path`."""
    if path is None:
        return FileConfig(None, {})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not valid UTF-8") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    tool = data.get("tool", {})
    table = tool.get("asynclint", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.asynclint] must be a table")
    warnings: list[str] = []
    for key, value in table.items():
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(
                isinstance(v, str) for v in value
            ):
                raise ConfigError(
                    f"{path}: tool.asynclint.{key} must be a list of strings"
                )
            if key in _PATTERN_KEYS:
                _check_patterns(path, key, value)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: tool.asynclint.{key} must be true or false")
        elif key in _TABLE_KEYS:
            _check_table(path, key, value)
        else:
            warnings.append(f"{path}: unknown key tool.asynclint.{key} (ignored)")
    return FileConfig(path, table, tuple(warnings))


def _check_table(path: Path, key: str, value: object) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: tool.asynclint.{key} must be a table")
    for name, entry in value.items():
        if key == "per-file-ignores":
            ok = isinstance(entry, list) and all(isinstance(v, str) for v in entry)
            expected = "a list of codes"
        else:
            ok = isinstance(entry, str)
            expected = "a string"
        if not ok:
            raise ConfigError(f"{path}: tool.asynclint.{key}.{name} must be {expected}")
    if key in _PATTERN_KEYS:
        _check_patterns(path, key, list(value))


def _check_patterns(path: Path, key: str, patterns: list[str]) -> None:
    from asynclint.ignore_patterns import problem

    for pattern in patterns:
        reason = problem(pattern)
        if reason is not None:
            raise ConfigError(
                f"{path}: tool.asynclint.{key}: invalid pattern '{pattern}': {reason}"
            )


def merge(root: Path, file_config: FileConfig, options: Options) -> Settings:
    """The settings for a run: file values, then the command line over them."""
    values = file_config.values

    def strings(key: str) -> tuple[str, ...]:
        raw = values.get(key, [])
        assert isinstance(raw, list)
        return tuple(raw)

    select = (
        options.select
        if options.select is not None
        else strings("select") or (CODE_PREFIX,)
    )
    select = (*select, *strings("extend-select"), *options.extend_select)
    ignore = (*strings("ignore"), *options.ignore)
    exclude = options.exclude if options.exclude is not None else strings("exclude")
    extend_exclude = (*strings("extend-exclude"), *options.extend_exclude)
    per_file = values.get("per-file-ignores", {})
    assert isinstance(per_file, dict)
    descriptions = values.get("marker-descriptions", {})
    assert isinstance(descriptions, dict)
    respect = values.get("respect-gitignore", True)
    return Settings(
        root=root,
        select=tuple(select),
        ignore=ignore,
        exclude=tuple(exclude),
        extend_exclude=extend_exclude,
        respect_gitignore=bool(respect),
        per_file_ignores={k: tuple(v) for k, v in per_file.items()},
        declarations={k: strings(k) for k in DECLARATION_KEYS if k in values},
        marker_descriptions=dict(descriptions),
        config_path=file_config.path,
    )


def validate_codes(codes: Sequence[str], known: Sequence[str]) -> list[str]:
    """The entries of `codes` that are no prefix of any known code."""
    return [c for c in codes if not any(k.startswith(c) for k in known)]
