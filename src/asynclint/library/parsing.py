"""Turning one parsed library data file into validated facts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from asynclint.library.specs import (
    CONTEXTS,
    DECORATOR_EFFECTS,
    KINDS,
    CallableSpec,
    ClassSpec,
    LibraryError,
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_QUALNAME = re.compile(_NAME)
_TUPLE = re.compile(rf"tuple\[{_NAME}(?:, {_NAME})+\]")
_TOP_KEYS = frozenset(
    {"library", "aliases", "decorators", "functions", "classes", "since"}
)
# "distribution X.Y.Z": the first release of which a fact holds.
_SINCE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*) (\d+(?:\.\d+)*)")
_LIBRARY_KEYS = frozenset({"name", "verified"})
_CALLABLE_KEYS = frozenset(
    {
        "kind",
        "returns",
        "offloads",
        "iterating_blocks",
        "wait_flag",
        "parameters",
        "defaults",
    }
)
_CLASS_KEYS = frozenset(
    {
        "bases",
        "awaitable",
        "awaits",
        "context",
        "enters",
        "async_iterable",
        "iterable",
        "methods",
        "attributes",
        "wraps_coroutine",
    }
)


@dataclass(slots=True)
class FileFacts:
    """The facts of one data file, names not yet canonical."""

    source: str
    aliases: dict[str, str] = field(default_factory=dict)
    decorators: dict[str, str] = field(default_factory=dict)
    functions: dict[str, CallableSpec] = field(default_factory=dict)
    classes: dict[str, ClassSpec] = field(default_factory=dict)
    # A function's facts that hold only from a release on: the
    # distribution and that release.
    since: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)


def is_qualname(text: str) -> bool:
    """Whether `text` is a dotted Python name."""
    return _QUALNAME.fullmatch(text) is not None


def parse_file(source: str, document: Mapping[str, object]) -> FileFacts:
    """Validate one data file's parsed TOML and return its facts."""
    facts = FileFacts(source)
    _check_keys(source, "", document, _TOP_KEYS)
    library = _table(source, "library", document.get("library"))
    _check_keys(source, "library", library, _LIBRARY_KEYS)
    _string(source, "library.name", library.get("name"))

    for name, target in _table(source, "aliases", document.get("aliases", {})).items():
        key = f"aliases.{name}"
        facts.aliases[_name_value(source, key, name)] = _name_value(source, key, target)
    decorators = _table(source, "decorators", document.get("decorators", {}))
    for name, effect in decorators.items():
        key = f"decorators.{name}"
        facts.decorators[_name(source, key, name)] = _choice(
            source, key, effect, DECORATOR_EFFECTS
        )
    for name, raw in _table(source, "functions", document.get("functions", {})).items():
        qualname = _name(source, f"functions.{name}", name)
        facts.functions[qualname] = _callable(
            source, f"functions.{name}", qualname, raw
        )
    for name, raw in _table(source, "classes", document.get("classes", {})).items():
        qualname = _name(source, f"classes.{name}", name)
        facts.classes[qualname] = _class(source, f"classes.{name}", qualname, raw)
    for name, raw in _table(source, "since", document.get("since", {})).items():
        key = f"since.{name}"
        qualname = _name(source, key, name)
        if qualname not in facts.functions:
            raise LibraryError(f"{source}: {key}: no such function in this file")
        found = _SINCE.fullmatch(raw) if isinstance(raw, str) else None
        if found is None:
            raise LibraryError(f"{source}: {key}: expected 'distribution X.Y.Z'")
        release = tuple(int(part) for part in found.group(2).split("."))
        facts.since[qualname] = (found.group(1).lower().replace("_", "-"), release)
    return facts


def _callable(source: str, key: str, qualname: str, raw: object) -> CallableSpec:
    if isinstance(raw, str):
        return CallableSpec(qualname, _choice(source, key, raw, KINDS), None, None)
    table = _table(source, key, raw)
    _check_keys(source, key, table, _CALLABLE_KEYS)
    kind = _choice(source, f"{key}.kind", table.get("kind"), KINDS)
    returns = table.get("returns")
    if returns is not None:
        returns = _returns(source, f"{key}.returns", returns)
    offloads = table.get("offloads")
    if offloads is not None and (
        not isinstance(offloads, int) or isinstance(offloads, bool) or offloads < 0
    ):
        raise LibraryError(f"{source}: {key}.offloads: expected an index >= 0")
    iterating_blocks = _flag(
        source, f"{key}.iterating_blocks", table.get("iterating_blocks", False)
    )
    wait_flag = None
    if "wait_flag" in table:
        wait_flag = _parameter(source, f"{key}.wait_flag", table["wait_flag"])
    raw_parameters = table.get("parameters", [])
    if not isinstance(raw_parameters, list):
        raise LibraryError(f"{source}: {key}.parameters: expected a list of names")
    parameters = tuple(
        _parameter(source, f"{key}.parameters", name) for name in raw_parameters
    )
    if len(set(parameters)) != len(parameters):
        raise LibraryError(f"{source}: {key}.parameters: a name is repeated")
    defaults = _defaults(source, f"{key}.defaults", table.get("defaults", {}))
    for name, _ in defaults:
        if name not in parameters:
            raise LibraryError(
                f"{source}: {key}.defaults.{name}: not among the parameters"
            )
    return CallableSpec(
        qualname,
        kind,
        returns,
        offloads,
        iterating_blocks,
        wait_flag,
        parameters,
        defaults,
    )


def _defaults(
    source: str, key: str, raw: object
) -> tuple[tuple[str, bool | int | float], ...]:
    table = _table(source, key, raw)
    found = []
    for name, value in sorted(table.items()):
        _parameter(source, key, name)
        if not isinstance(value, (bool, int, float)):
            raise LibraryError(f"{source}: {key}.{name}: expected a bool or number")
        found.append((name, value))
    return tuple(found)


def _parameter(source: str, key: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.isidentifier():
        raise LibraryError(f"{source}: {key}: {raw!r} is not a parameter name")
    return raw


def _class(source: str, key: str, qualname: str, raw: object) -> ClassSpec:
    table = _table(source, key, raw)
    _check_keys(source, key, table, _CLASS_KEYS)
    if "context" not in table:
        raise LibraryError(f"{source}: {key}.context: missing (say 'none' if none)")
    bases = table.get("bases", [])
    if not isinstance(bases, list):
        raise LibraryError(f"{source}: {key}.bases: expected a list of names")
    enters = table.get("enters")
    if enters == "self":
        enters = qualname
    awaits = table.get("awaits")
    if awaits == "self":
        awaits = qualname
    methods = _table(source, f"{key}.methods", table.get("methods", {}))
    attributes = _table(source, f"{key}.attributes", table.get("attributes", {}))
    return ClassSpec(
        qualname=qualname,
        bases=tuple(_name_value(source, f"{key}.bases", base) for base in bases),
        awaitable=_flag(source, f"{key}.awaitable", table.get("awaitable", False)),
        context=_choice(source, f"{key}.context", table["context"], CONTEXTS),
        enters=None if enters is None else _name_value(source, f"{key}.enters", enters),
        async_iterable=_flag(
            source, f"{key}.async_iterable", table.get("async_iterable", False)
        ),
        iterable=_flag(source, f"{key}.iterable", table.get("iterable", False)),
        methods={
            name: _callable(source, f"{key}.methods.{name}", f"{qualname}.{name}", spec)
            for name, spec in methods.items()
            if _identifier(source, f"{key}.methods.{name}", name)
        },
        attributes={
            name: _name_value(source, f"{key}.attributes.{name}", value)
            for name, value in attributes.items()
            if _identifier(source, f"{key}.attributes.{name}", name)
        },
        awaits=None if awaits is None else _name_value(source, f"{key}.awaits", awaits),
        wraps_coroutine=_flag(
            source, f"{key}.wraps_coroutine", table.get("wraps_coroutine", False)
        ),
    )


def _check_keys(
    source: str, key: str, table: Mapping[str, object], allowed: frozenset[str]
) -> None:
    for name in table:
        if name not in allowed:
            where = f"{key}.{name}" if key else name
            raise LibraryError(f"{source}: {where}: unknown key")


def _table(source: str, key: str, raw: object) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise LibraryError(f"{source}: {key}: expected a table")
    return raw


def _string(source: str, key: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw:
        raise LibraryError(f"{source}: {key}: expected a non-empty string")
    return raw


def _flag(source: str, key: str, raw: object) -> bool:
    if not isinstance(raw, bool):
        raise LibraryError(f"{source}: {key}: expected true or false")
    return raw


def _choice(source: str, key: str, raw: object, allowed: frozenset[str]) -> str:
    if not isinstance(raw, str) or raw not in allowed:
        choices = ", ".join(sorted(allowed))
        raise LibraryError(f"{source}: {key}: {raw!r} is not one of {choices}")
    return raw


def _name(source: str, key: str, raw: str) -> str:
    if not is_qualname(raw) or "." not in raw:
        raise LibraryError(f"{source}: {key}: not a qualified name")
    return raw


def _identifier(source: str, key: str, raw: str) -> bool:
    if not raw.isidentifier():
        raise LibraryError(f"{source}: {key}: not an identifier")
    return True


def _name_value(source: str, key: str, raw: object) -> str:
    if not isinstance(raw, str) or not is_qualname(raw):
        raise LibraryError(f"{source}: {key}: {raw!r} is not a qualified name")
    return raw


def _returns(source: str, key: str, raw: object) -> str:
    if isinstance(raw, str) and (is_qualname(raw) or _TUPLE.fullmatch(raw)):
        return raw
    raise LibraryError(f"{source}: {key}: {raw!r} is not a class name or tuple[...]")
