"""The names given to `asynclint migrate`: their form, and whether the
checked project defines them.

A name must be dotted, with a module part (`package.module.function`,
`package.module.Class.method`); the command line refuses any other before
anything runs. After a run, each name is looked up the way the project
index finds code: its longest leading part that is a module of the
project, then a function or class that module defines at top level (and
a method of that class). A name defined nowhere is most likely a typo,
or a spelling that only re-exports the definition, which a migration does
not follow (calls resolve to where the `def` stands); either way nothing
was migrated, and the command line says so rather than print an empty
diff as if that were success.
"""

from __future__ import annotations

from asynclint.checker import Checker
from asynclint.infer import Inference
from asynclint.library.parsing import is_qualname
from asynclint.summary import ModuleSummary
from asynclint.values import ClassRef, FunctionRef, ModuleRef


def is_migratable(name: str) -> bool:
    """Whether `name` has the form a migration needs: a dotted name with a
    module part."""
    return is_qualname(name) and "." in name


def why_undefined(checker: Checker, name: str) -> str | None:
    """Why the project `checker` sees defines no `name`; None when it does."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        summary = checker.index.summary(module)
        if summary is None:
            continue
        rest = parts[cut:]
        if _defines(summary, rest):
            return None
        return _elsewhere(checker, module, rest)
    return f"the checked project has no module {parts[0]}"


def _defines(summary: ModuleSummary, rest: list[str]) -> bool:
    """Whether the module defines `rest`: a top-level function or class,
    or a method of a top-level class."""
    if len(rest) > 2:
        return False
    for binding in summary.bindings.get(rest[0], []):
        if len(rest) == 1 and binding.kind in ("function", "class"):
            return True
        klass = binding.klass
        if binding.kind == "class" and klass is not None and rest[1] in klass.methods:
            return True
    return False


def _elsewhere(checker: Checker, module: str, rest: list[str]) -> str:
    """What `module` has under `rest` instead of a definition of its own."""
    inference = Inference(checker.index, checker.library)
    value = inference.imported(module, rest[0])
    for part in rest[1:]:
        value = inference.attribute(value, part)
    spelled = ".".join(rest)
    if isinstance(value, (FunctionRef, ClassRef)):
        defined = (
            value.function.qualname
            if isinstance(value, FunctionRef)
            else value.klass.qualname
        )
        return f"{module} only re-exports it; name its definition, {defined}"
    if isinstance(value, ModuleRef):
        return f"{value.name} is a module"
    return f"module {module} defines no {spelled}"
