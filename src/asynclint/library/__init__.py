"""Facts about library callables and classes, shipped as data and loaded here.

Each `*.toml` file beside this module describes one family of libraries and
is read, never the libraries themselves. A file has these tables, every key
checked at load (an unknown key or value raises `LibraryError`):

- `[library]`: `name`, and `verified` naming the versions read.
- `[aliases]`: re-exported spelling -> defining spelling. An alias of a
  module or class also covers the names inside it.
- `[decorators]`: qualname -> "async-cm-factory" or "sync-cm-factory".
- `[functions]`: qualname -> a kind string, or a table with `kind`, and
  optionally `returns` (a class name, "None", or `tuple[A, B]`),
  `offloads` (the index of the callable argument run off the loop),
  `iterating_blocks` (true when iterating the result waits),
  `wait_flag` (the name of the parameter that, given a literal False,
  makes a blocking call return at once), `parameters` (the names of
  the leading positional parameters, after `self` for a method, so that
  a positional `False` or `0` is read as the keyword it fills) and
  `defaults` (name -> a bool or number: the default of a parameter whose
  default makes the call return at once).
- `[classes."qualname"]`: `context` (required), `bases`, `awaitable`,
  `awaits`, `wraps_coroutine` (an instance runs its maker's coroutine
  only when awaited or entered), `enters` ("self" for the class itself),
  `iterable`, `async_iterable`, then
  `.methods` (as functions; `__init__` when the constructor blocks) and
  `.attributes` (name -> class).

Leave out any fact not read in the library's source: an unknown stays
silent, a wrong one reports correct code.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping, Sequence
from importlib import resources

from asynclint.library.assembly import Facts, assemble
from asynclint.library.declarations import apply_declarations, declared_names
from asynclint.library.model import LibraryModel
from asynclint.library.parsing import FileFacts, parse_file
from asynclint.library.specs import CallableSpec, ClassSpec, LibraryError, tuple_items

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "CallableSpec",
    "ClassSpec",
    "LibraryError",
    "LibraryModel",
    "build_model",
    "default_model",
    "load_texts",
    "tuple_items",
]


@functools.cache
def default_model() -> LibraryModel:
    """The model of every shipped data file."""
    return build_model({})


def build_model(declarations: Mapping[str, Sequence[str]]) -> LibraryModel:
    """The shipped facts with the user's `[tool.asynclint]` declarations on top."""
    return _model(_shipped(), declarations)


def load_texts(
    texts: Mapping[str, str], declarations: Mapping[str, Sequence[str]] | None = None
) -> LibraryModel:
    """A model of the given data file texts (name -> TOML), without shipped ones."""
    files = tuple(_parse(name, text) for name, text in sorted(texts.items()))
    return _model(assemble(files), declarations or {})


@functools.cache
def _shipped() -> Facts:
    package = resources.files(__name__)
    files = []
    for entry in sorted(package.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            files.append(_parse(entry.name, entry.read_text(encoding="utf-8")))
    return assemble(files)


def _parse(name: str, text: str) -> FileFacts:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LibraryError(f"{name}: malformed TOML: {error}") from None
    return parse_file(name, document)


def _model(facts: Facts, declarations: Mapping[str, Sequence[str]]) -> LibraryModel:
    merged, extra_methods = apply_declarations(facts, declarations)
    return LibraryModel(
        aliases=merged.aliases,
        functions=merged.functions,
        classes=merged.classes,
        decorators=merged.decorators,
        extra_methods=extra_methods,
        declared=declared_names(declarations),
        since=merged.since,
    )
