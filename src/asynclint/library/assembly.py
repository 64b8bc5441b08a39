"""Merging the facts of several data files into one canonical set."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from asynclint.library.parsing import FileFacts
from asynclint.library.specs import CallableSpec, ClassSpec, LibraryError, tuple_items


@dataclass(slots=True)
class Facts:
    """The merged facts of all data files, every name in canonical spelling."""

    aliases: dict[str, str] = field(default_factory=dict)
    decorators: dict[str, str] = field(default_factory=dict)
    functions: dict[str, CallableSpec] = field(default_factory=dict)
    classes: dict[str, ClassSpec] = field(default_factory=dict)
    since: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)


def assemble(files: Iterable[FileFacts]) -> Facts:
    """Merge data files, refusing duplicates and alias cycles."""
    merged = Facts()
    origin: dict[str, str] = {}
    for facts in files:
        for section, entries in (
            ("aliases", facts.aliases),
            ("decorators", facts.decorators),
            ("functions", facts.functions),
            ("classes", facts.classes),
        ):
            for name in entries:
                if name in origin:
                    raise LibraryError(
                        f"{facts.source}: {section}.{name}: already defined in "
                        f"{origin[name]}"
                    )
                origin[name] = facts.source
        merged.aliases.update(facts.aliases)
        merged.decorators.update(facts.decorators)
        merged.functions.update(facts.functions)
        merged.classes.update(facts.classes)
        merged.since.update(facts.since)
    _check_aliases(merged.aliases, origin)
    for name in [*merged.decorators, *merged.functions, *merged.classes]:
        if resolve(merged.aliases, name) != name:
            raise LibraryError(
                f"{origin[name]}: {name}: defined under an aliased name; "
                f"use {resolve(merged.aliases, name)!r}"
            )
    canonical = _canonicalize(merged)
    _check_results(canonical, origin)
    return canonical


def resolve(aliases: dict[str, str], qualname: str) -> str:
    """Follow `aliases`, whole names or prefixes, until none applies."""
    seen: set[str] = set()
    while qualname not in seen:
        seen.add(qualname)
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            prefix = ".".join(parts[:end])
            if prefix in aliases:
                qualname = aliases[prefix] + qualname[len(prefix) :]
                break
        else:
            return qualname
    raise LibraryError(f"alias cycle through {qualname!r}")


def _check_aliases(aliases: dict[str, str], origin: dict[str, str]) -> None:
    for name in aliases:
        try:
            resolve(aliases, name)
        except LibraryError as error:
            raise LibraryError(f"{origin[name]}: aliases.{name}: {error}") from None


def _canonicalize(facts: Facts) -> Facts:
    aliases = facts.aliases

    def fix(name: str | None) -> str | None:
        if name is None or name == "None":
            return name
        items = tuple_items(name)
        if items is not None:
            return "tuple[" + ", ".join(resolve(aliases, i) for i in items) + "]"
        return resolve(aliases, name)

    def fix_callable(spec: CallableSpec) -> CallableSpec:
        return dataclasses.replace(spec, returns=fix(spec.returns))

    classes: dict[str, ClassSpec] = {}
    for name, spec in facts.classes.items():
        classes[name] = dataclasses.replace(
            spec,
            bases=tuple(resolve(aliases, base) for base in spec.bases),
            enters=fix(spec.enters),
            awaits=fix(spec.awaits),
            methods={m: fix_callable(s) for m, s in spec.methods.items()},
            attributes={a: resolve(aliases, v) for a, v in spec.attributes.items()},
        )
    return Facts(
        aliases=dict(aliases),
        decorators=dict(facts.decorators),
        functions={n: fix_callable(s) for n, s in facts.functions.items()},
        classes=classes,
        since=dict(facts.since),
    )


def _check_results(facts: Facts, origin: dict[str, str]) -> None:
    """Refuse a sync callable whose result the data says is awaitable."""
    callables = list(facts.functions.items())
    for owner, klass in facts.classes.items():
        callables += [(owner, spec) for spec in klass.methods.values()]
    for name, spec in callables:
        result = facts.classes.get(spec.returns or "")
        if spec.kind in ("sync", "blocking") and result and result.awaitable:
            raise LibraryError(
                f"{origin.get(name, name)}: {spec.qualname}: kind {spec.kind!r} "
                f"returns awaitable {result.qualname!r}; use 'awaitable'"
            )
