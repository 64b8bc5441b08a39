"""Star imports: which names `from m import *` binds, read from m's text.

Python binds every name listed in m's `__all__`, or without one every
public name of m (no leading underscore), when the statement runs. Here
that holds only for a project module whose answer can be read plainly:
a literal `__all__` (grown only by `+=`, `.extend` or `.append` of
literals at top level), or none at all. A library module, a computed
`__all__`, a star import on a cycle (whose modules see each other half
initialised) or a name a package may hold as a submodule gives "maybe":
a name that such a star import may bind is unknown, unless a plain
top-level statement after the star import binds it again.

Nothing is computed for a module without star imports.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from asynclint.summary import Binding, ModuleSummary

if TYPE_CHECKING:
    from asynclint.infer import Inference

# Whether a star import binds a name: surely, surely not, or perhaps.
Answer = Literal["yes", "no", "maybe"]

_ALL = "__all__"


@dataclass(eq=False, slots=True)
class StarFacts:
    """What one module's own text says, read once and kept on its summary.

    `positions` maps each top-level statement (by id) to its place in the
    module body; `declared` is the literal `__all__`, "absent" or
    "dynamic". Each is filled on first need.
    """

    positions: dict[int, int] | None = None
    declared: frozenset[str] | str | None = None


class StarImports:
    """Module-level names with star imports counted, for one checked file.

    Like `ClassAttributes`, it is handed the inference on every call
    rather than keeping it, so that no reference cycle forms.
    """

    def __init__(self) -> None:
        self._bindings: dict[tuple[ModuleSummary, str], list[Binding] | None] = {}
        self._reach: dict[str, frozenset[str]] = {}

    def bindings(
        self, inference: Inference, module: ModuleSummary, name: str
    ) -> list[Binding] | None:
        """The bindings of `name` in a module with star imports, as
        `lookup` gives them: one import binding per star import that binds
        the name for sure, an opaque one when it is unclear (memoised)."""
        key = (module, name)
        if key in self._bindings:
            return self._bindings[key]
        found = self._resolve(inference, module, name)
        self._bindings[key] = found
        return found

    def _resolve(
        self, inference: Inference, module: ModuleSummary, name: str
    ) -> list[Binding] | None:
        explicit = module.bindings.get(name, [])
        stars = [
            (star, answer)
            for star in module.star_imports
            if (answer := self.exports(inference, module, star, name)) != "no"
        ]
        if not stars:
            return explicit or None

        positions = _positions(module)
        if all(id(b.node) in positions for b in [*explicit, *(s for s, _ in stars)]):
            # Straight-line module code: the last statement to bind wins.
            last, answer = max(stars, key=lambda pair: positions[id(pair[0].node)])
            after = positions[id(last.node)]
            later = [b for b in explicit if positions[id(b.node)] > after]
            if later:
                return later
            if answer == "yes":
                return [_imported(last, name)]
            return [Binding("opaque", last.node)]
        if not explicit and len(stars) == 1 and stars[0][1] == "yes":
            return [_imported(stars[0][0], name)]
        return [Binding("opaque", stars[0][0].node)]

    def exports(
        self, inference: Inference, importer: ModuleSummary, star: Binding, name: str
    ) -> Answer:
        """Whether the star import `star` of `importer` binds `name`."""
        reached = self._reached(inference, star.module)
        if star.module == importer.name or importer.name in reached:
            # On a cycle, each module may see the other half initialised,
            # in an order set by what is imported first. Only a name no
            # star import can ever bind is sure: a private one, where no
            # module on the way declares `__all__`.
            if name.startswith("_") and all(
                _without_all(inference, m) for m in {star.module, *reached}
            ):
                return "no"
            return "maybe"
        source = inference.module(star.module)
        if source is None:
            return "maybe"  # a library, or a module that cannot be read
        return self.exported(inference, source, name)

    def exported(
        self, inference: Inference, module: ModuleSummary, name: str
    ) -> Answer:
        """Whether `from module import *` binds `name`."""
        declared = _declared(module)
        if module.star_imports:
            # `__all__` itself may come from a star import.
            own = module.bindings.get(_ALL)
            if self.bindings(inference, module, _ALL) != own:
                return "maybe"
        if declared == "dynamic":
            return "maybe"
        if isinstance(declared, frozenset):
            return "yes" if name in declared else "no"

        if name.startswith("_"):
            return "no"
        explicit = module.bindings.get(name)
        if explicit:
            positions = _positions(module)
            plain = all(id(b.node) in positions and _binds(b) for b in explicit)
            return "yes" if plain else "maybe"
        answers = {
            self.exports(inference, module, s, name) for s in module.star_imports
        }
        if "yes" in answers or "maybe" in answers:
            plain = all(id(s.node) in _positions(module) for s in module.star_imports)
            return "yes" if "yes" in answers and plain else "maybe"
        if module.is_package and _is_submodule(inference, f"{module.name}.{name}"):
            return "maybe"  # bound once anything imports the submodule
        return "no"

    def _reached(self, inference: Inference, start: str) -> frozenset[str]:
        """The modules that star imports lead to from `start`, transitively."""
        found = self._reach.get(start)
        if found is not None:
            return found
        seen: set[str] = set()
        pending = [start]
        while pending:
            summary = inference.module(pending.pop())
            for star in summary.star_imports if summary is not None else []:
                if star.module not in seen:
                    seen.add(star.module)
                    pending.append(star.module)
        found = self._reach[start] = frozenset(seen)
        return found


def _imported(star: Binding, name: str) -> Binding:
    """`from m import *` seen as `from m import name`, which reads the
    same attribute (or imports the submodule a package lists)."""
    return Binding("import", star.node, module=star.module, member=name)


def _binds(binding: Binding) -> bool:
    """Whether a top-level statement surely leaves the name bound: not a
    `del`, a loop that may run no time, nor an annotation without a value."""
    node = binding.node
    if isinstance(node, ast.AnnAssign):
        return node.value is not None
    return not isinstance(node, (ast.Delete, ast.For, ast.AsyncFor))


def _without_all(inference: Inference, name: str) -> bool:
    """Whether `name` is a project module that binds no `__all__`."""
    summary = inference.module(name)
    return summary is not None and _declared(summary) == "absent"


def _is_submodule(inference: Inference, name: str) -> bool:
    index = inference.index
    return index.find_module(name) is not None or index.is_namespace_package(name)


def _facts(module: ModuleSummary) -> StarFacts:
    if module.star_facts is None:
        module.star_facts = StarFacts()
    return module.star_facts


def _positions(module: ModuleSummary) -> dict[int, int]:
    facts = _facts(module)
    if facts.positions is None:
        facts.positions = {id(stmt): i for i, stmt in enumerate(module.tree.body)}
    return facts.positions


def _declared(module: ModuleSummary) -> frozenset[str] | str:
    facts = _facts(module)
    if facts.declared is None:
        facts.declared = _read_all(module)
    return facts.declared


def _read_all(module: ModuleSummary) -> frozenset[str] | str:
    """The module's own `__all__`: its names when only top-level literal
    statements make it, else "dynamic"; "absent" when it binds none."""
    bindings = module.bindings.get(_ALL)
    if not bindings:
        return "absent"

    names: set[str] | None = None
    accepted: set[int] = set()
    for stmt in module.tree.body:
        step = _literal_step(stmt)
        if step is None:
            continue
        resets, values = step
        if resets:
            names = set(values)
        elif names is None:
            return "dynamic"
        else:
            names.update(values)
        accepted.add(id(stmt))

    if names is None or any(id(b.node) not in accepted for b in bindings):
        return "dynamic"
    if module.all_spellings == len(accepted):
        return frozenset(names)  # the text names `__all__` nowhere else
    uses = sum(
        1
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Name) and node.id == _ALL
    )
    # Each accepted statement names `__all__` once; any other mention may
    # change it (a loop, a function, `del`, an alias that is appended to).
    return frozenset(names) if uses == len(accepted) else "dynamic"


def _literal_step(stmt: ast.stmt) -> tuple[bool, list[str]] | None:
    """For a statement that sets `__all__` to literal strings (True) or
    adds literal strings to it (False), those strings; else None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        names = _strings(stmt.value)
        if _is_all(stmt.targets[0]) and names is not None:
            return True, names
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        names = _strings(stmt.value)
        if _is_all(stmt.target) and names is not None:
            return True, names
    elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add):
        names = _strings(stmt.value)
        if _is_all(stmt.target) and names is not None:
            return False, names
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return _growing_call(stmt.value)
    return None


def _growing_call(call: ast.Call) -> tuple[bool, list[str]] | None:
    """`__all__.extend([...])` or `__all__.append("...")`."""
    func = call.func
    if (
        not isinstance(func, ast.Attribute)
        or not _is_all(func.value)
        or len(call.args) != 1
        or call.keywords
    ):
        return None
    argument = call.args[0]
    if func.attr == "extend":
        names = _strings(argument)
    elif func.attr == "append":
        names = _strings(ast.List(elts=[argument]))
    else:
        return None
    return (False, names) if names is not None else None


def _is_all(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Name) and expr.id == _ALL


def _strings(expr: ast.expr) -> list[str] | None:
    """The strings of a list or tuple display made only of string literals."""
    if not isinstance(expr, (ast.List, ast.Tuple)):
        return None
    names = []
    for element in expr.elts:
        if not isinstance(element, ast.Constant) or not isinstance(element.value, str):
            return None
        names.append(element.value)
    return names
