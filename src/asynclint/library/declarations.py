"""User declarations from `[tool.asynclint]` laid over the shipped facts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from asynclint.library.assembly import Facts, resolve
from asynclint.library.parsing import is_qualname
from asynclint.library.specs import CallableSpec, ClassSpec, LibraryError

SOURCE = "[tool.asynclint]"
KIND_KEYS = {
    "coroutine-functions": "coroutine",
    "sync-functions": "sync",
    "blocking-calls": "blocking",
}
CONTEXT_KEYS = {
    "async-context-managers": "async",
    "sync-context-managers": "sync",
}
# What each key says a declared name is, as `LibraryModel.declared` answers.
DECLARED = {
    **KIND_KEYS,
    "async-context-managers": "async-cm",
    "sync-context-managers": "sync-cm",
}


def declared_result(qualname: str) -> str:
    """The made-up class name standing for what a declared CM factory returns."""
    return f"{qualname}()"


def declared_names(declarations: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Each declared name, as written, and what its key says it is."""
    return {name: DECLARED[key] for key, name in _entries(declarations)}


def apply_declarations(
    facts: Facts, declarations: Mapping[str, Sequence[str]]
) -> tuple[Facts, dict[str, dict[str, CallableSpec]]]:
    """The facts with user declarations applied, and methods of unknown classes.

    A name whose last part is CapWords is taken for a class; any other for a
    function or, when the part before it is a class, a method. A context
    manager declared on a function makes it a sync factory whose result is a
    made-up class (`declared_result`) with that protocol.
    """
    functions = dict(facts.functions)
    classes = dict(facts.classes)
    extra: dict[str, dict[str, CallableSpec]] = {}

    for key, qualname in _entries(declarations):
        name = resolve(facts.aliases, qualname)
        if key in CONTEXT_KEYS and (name in classes or _looks_like_class(name)):
            classes[name] = _with_context(classes.get(name), name, CONTEXT_KEYS[key])
            continue
        if key in KIND_KEYS:
            spec = CallableSpec(name, KIND_KEYS[key], None, None)
        else:
            result = declared_result(name)
            classes[result] = _with_context(None, result, CONTEXT_KEYS[key])
            spec = CallableSpec(name, "sync", result, None)
        functions[name] = spec
        owner, _, method = name.rpartition(".")
        if owner in classes:
            methods = {**classes[owner].methods, method: spec}
            classes[owner] = dataclasses.replace(classes[owner], methods=methods)
        elif _looks_like_class(owner):
            extra.setdefault(owner, {})[method] = spec
    merged = Facts(facts.aliases, facts.decorators, functions, classes, facts.since)
    return merged, extra


def _entries(declarations: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    first_key: dict[str, str] = {}
    for key, names in declarations.items():
        if key not in KIND_KEYS and key not in CONTEXT_KEYS:
            raise LibraryError(f"{SOURCE}: {key}: unknown key")
        if isinstance(names, str) or not isinstance(names, Sequence):
            raise LibraryError(f"{SOURCE}: {key}: expected a list of qualified names")
        for name in names:
            if not isinstance(name, str) or not is_qualname(name) or "." not in name:
                raise LibraryError(f"{SOURCE}: {key}: {name!r} is not a qualified name")
            if name in first_key and first_key[name] != key:
                raise LibraryError(
                    f"{SOURCE}: {key}: {name!r} is also in {first_key[name]}"
                )
            first_key[name] = key
            entries.append((key, name))
    return entries


def _looks_like_class(qualname: str) -> bool:
    last = qualname.rpartition(".")[2]
    return "." in qualname and last[:1].isupper()


def _with_context(spec: ClassSpec | None, qualname: str, context: str) -> ClassSpec:
    if spec is not None:
        return dataclasses.replace(spec, context=context)
    return ClassSpec(
        qualname=qualname,
        bases=(),
        awaitable=False,
        context=context,
        enters=None,
        async_iterable=False,
        iterable=False,
        methods={},
        attributes={},
    )
