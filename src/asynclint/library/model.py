"""The library model: lookups of callables and classes by qualified name."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path

from asynclint.library.assembly import resolve
from asynclint.library.specs import CallableSpec, ClassSpec, LibraryError
from asynclint.library.versions import Version, rules_out_from


class LibraryModel:
    """What asynclint knows about library callables and classes.

    Every lookup first follows aliases, so a re-exported spelling finds the
    same facts as the defining one. Unknown names give None: asynclint then
    stays silent rather than guess.
    """

    __slots__ = (
        "__weakref__",
        "_aliases",
        "_classes",
        "_declared",
        "_decorators",
        "_extra_methods",
        "_functions",
        "_modules",
        "_mro",
        "_since",
        "version_sources",
    )

    def __init__(
        self,
        *,
        aliases: Mapping[str, str],
        functions: Mapping[str, CallableSpec],
        classes: Mapping[str, ClassSpec],
        decorators: Mapping[str, str],
        extra_methods: Mapping[str, Mapping[str, CallableSpec]],
        declared: Mapping[str, str] | None = None,
        since: Mapping[str, tuple[str, Version]] | None = None,
    ) -> None:
        self._aliases = dict(aliases)
        self._functions = dict(functions)
        self._classes = dict(classes)
        self._decorators = dict(decorators)
        # Methods declared by users on classes the model does not describe.
        self._extra_methods = {
            name: dict(methods) for name, methods in extra_methods.items()
        }
        # The user's own declarations by the name written, for project
        # definitions, which are matched by their qualified name as is.
        self._declared = dict(declared or {})
        # Functions whose facts hold only from a release of a distribution on.
        self._since = dict(since or {})
        # The files a project's requirements were read from (`for_project`).
        self.version_sources: tuple[Path, ...] = ()
        self._mro = {name: linearize(name, self._classes) for name in self._classes}
        self._modules = _module_prefixes(
            [*self._aliases, *self._functions, *self._classes, *self._decorators]
        )

    def for_project(
        self, requirements: Mapping[str, Sequence[str]], sources: Sequence[Path]
    ) -> LibraryModel:
        """This model for a project that declares `requirements` (read from
        `sources`): a fact that holds only from a release on is left out
        where the project's requirement of that distribution rules the
        release out (`asynch==0.2.5` for a fact of asynch 0.4.0)."""
        narrowed = copy.copy(self)
        narrowed._functions = {
            name: spec
            for name, spec in self._functions.items()
            if not self._ruled_out(name, requirements)
        }
        narrowed.version_sources = tuple(sources)
        return narrowed

    def _ruled_out(self, name: str, requirements: Mapping[str, Sequence[str]]) -> bool:
        if name not in self._since:
            return False
        distribution, release = self._since[name]
        declared = requirements.get(distribution, ())
        return any(rules_out_from(text, release) for text in declared)

    def depends_on_versions(self, qualname: str) -> bool:
        """Whether what the model says of `qualname` depends on the release
        of its library a project requires."""
        return bool(self._since) and self.canonical(qualname) in self._since

    def has_declared_methods(self, class_qualname: str) -> bool:
        """Whether the user declared methods of a class the model does not
        describe (its instances then answer only for those methods)."""
        return self.canonical(class_qualname) in self._extra_methods

    def declared(self, qualname: str) -> str | None:
        """What `[tool.asynclint]` declares the definition named `qualname`
        to be: "blocking", "coroutine", "sync", "async-cm" or "sync-cm"."""
        return self._declared.get(qualname)

    def canonical(self, qualname: str) -> str:
        """The defining spelling of `qualname`, following aliases and re-exports."""
        return resolve(self._aliases, qualname)

    def function(self, qualname: str) -> CallableSpec | None:
        """The facts of a module-level callable (or `Class.method`), if known."""
        name = self.canonical(qualname)
        spec = self._functions.get(name)
        if spec is not None or name in self._classes:
            return spec
        owner, _, attribute = name.rpartition(".")
        if owner in self._classes or owner in self._extra_methods:
            return self.method(owner, attribute)
        return None

    def class_(self, qualname: str) -> ClassSpec | None:
        """The facts of a class, if known."""
        return self._classes.get(self.canonical(qualname))

    def method(self, class_qualname: str, name: str) -> CallableSpec | None:
        """A method of a class or of its known bases, in MRO order."""
        owner = self.canonical(class_qualname)
        for klass in self._mro.get(owner, (owner,)):
            spec = self._extra_methods.get(klass, {}).get(name)
            if spec is None and klass in self._classes:
                spec = self._classes[klass].methods.get(name)
            if spec is not None:
                return spec
        return None

    def attribute(self, class_qualname: str, name: str) -> str | None:
        """The class of an attribute's value, searching known bases."""
        owner = self.canonical(class_qualname)
        for klass in self._mro.get(owner, ()):
            value = self._classes[klass].attributes.get(name)
            if value is not None:
                return value
        return None

    def decorator(self, qualname: str) -> str | None:
        """The effect of a decorator ("async-cm-factory", ...), if known."""
        return self._decorators.get(self.canonical(qualname))

    def knows_module(self, module: str) -> bool:
        """Whether the model has facts about `module` or a submodule of it."""
        return module in self._modules or self.canonical(module) in self._modules

    def mro(self, class_qualname: str) -> tuple[str, ...]:
        """The class and its bases known to the model, in MRO order."""
        owner = self.canonical(class_qualname)
        return self._mro.get(owner, ())


def linearize(name: str, classes: Mapping[str, ClassSpec]) -> tuple[str, ...]:
    """The C3 order of `name` and its bases, skipping bases outside `classes`."""
    return _linearize(name, classes, ())


def _linearize(
    name: str, classes: Mapping[str, ClassSpec], seen: tuple[str, ...]
) -> tuple[str, ...]:
    if name in seen:
        raise LibraryError(f"class {name!r} is its own base")
    bases = [base for base in classes[name].bases if base in classes]
    pending = [list(_linearize(base, classes, (*seen, name))) for base in bases]
    pending.append(list(bases))
    order = [name]
    while any(pending):
        head = next(
            (
                seq[0]
                for seq in pending
                if seq and not any(seq[0] in other[1:] for other in pending)
            ),
            None,
        )
        if head is None:
            raise LibraryError(f"class {name!r}: bases have no consistent order")
        order.append(head)
        for seq in pending:
            if seq and seq[0] == head:
                del seq[0]
    return tuple(order)


def _module_prefixes(qualnames: list[str]) -> frozenset[str]:
    prefixes: set[str] = set()
    for qualname in qualnames:
        parts = qualname.split(".")
        for end in range(1, len(parts)):
            prefixes.add(".".join(parts[:end]))
    return frozenset(prefixes)
