"""Violations found in one checked Python file."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from pathlib import Path

from asynclint.markers.async_runners import unrun_reason
from asynclint.markers.context import CheckContext
from asynclint.markers.facts import AsyncDefinition, MarkerFacts, MarkerUse
from asynclint.markers.plugins import Plugin, plugins_with_marker
from asynclint.markers.project import Governance, module_name
from asynclint.markers.registry import Known
from asynclint.markers.spelling import PARAMETRIZE_MISSPELLINGS, closest, is_close
from asynclint.rules.async_test_without_plugin import AsyncTestWithoutPlugin
from asynclint.rules.marker_misspelled import MarkerMisspelled
from asynclint.rules.marker_not_registered import MarkerNotRegistered
from asynclint.rules.marker_registration_malformed import MarkerRegistrationMalformed
from asynclint.rules.marker_registration_masks_plugin import (
    MarkerRegistrationMasksPlugin,
)
from asynclint.types import (
    Applicability,
    CodeRange,
    ConfigEdit,
    Fix,
    RenameAttribute,
    Violation,
)

_DEFAULT_TEST_FILES = ("test_*.py", "*_test.py")
_MISSING = "which is neither declared nor installed"


def judge_file(
    context: CheckContext, path: Path, facts: MarkerFacts, governance: Governance
) -> Iterator[Violation]:
    """ASL401, ASL402, ASL406, ASL407 and ASL408 for one file."""
    config = governance.config
    known = context.known(path, config, governance.base)
    proven: frozenset[str] = frozenset()
    if _unsettled(context, path, facts, known, governance):
        proven = context.proof(path, facts, governance)
        known = context.known(path, config, governance.base, proven)
    refused = config is not None and config.refuses
    for use in facts.uses:
        if use.name in known.names:
            continue
        if use.name in PARAMETRIZE_MISSPELLINGS:
            yield _misspelled(path, use, "parametrize", Applicability.SAFE)
            continue
        if known.open or refused:
            continue
        suggestion = closest(use.name, known.names)
        if suggestion is not None:
            yield _misspelled(path, use, suggestion, Applicability.UNSAFE)
            continue
        yield unregistered(context, path, use.expression_range, use.name, governance)
    yield from _registrations(context, path, facts, governance, proven)
    yield from _async_definitions(path, facts, governance, known)


def _unsettled(
    context: CheckContext,
    path: Path,
    facts: MarkerFacts,
    known: Known,
    governance: Governance,
) -> bool:
    """Whether the plugins the suite's imports prove present could change a
    finding of the file: only their markers and runners can."""
    absent = context.absent(governance.base)
    unknown = {u.name for u in facts.uses if u.name not in known.names}
    if any(plugin_may_know(name, absent) for name in unknown):
        return True
    if any(p.runs_async for p in absent):
        config = governance.config
        for definition in _collected(path, facts, governance):
            if unrun_reason(definition, known, facts, config) is not None:
                return True
    available = context.available(governance.base)
    module = module_name(path) if facts.registrations else None
    registered = (r.name for r in facts.registrations if r.key == "markers")
    return any(missing_plugin(name, available, module) for name in registered)


def plugin_may_know(name: str, plugins: Iterable[Plugin]) -> bool:
    """Whether one of `plugins` registers `name`, or a name it is close to
    (which would make it a misspelling rather than a new marker)."""
    return any(
        marker == name or is_close(name, marker)
        for plugin in plugins
        for marker in plugin.markers
    )


def _misspelled(
    path: Path, use: MarkerUse, suggestion: str, applicability: Applicability
) -> Violation:
    fix = None
    if use.renamable:
        description = f"rename to '{suggestion}'"
        rename = RenameAttribute(use.name_range, suggestion)
        fix = Fix(applicability, description, rename)
    return MarkerMisspelled.violation(
        path, use.expression_range, fix, name=use.name, suggestion=suggestion
    )


def unregistered(
    context: CheckContext,
    path: Path,
    where: CodeRange,
    name: str,
    governance: Governance,
) -> Violation:
    """ASL401 for `name`, with the fix that registers it where that helps.

    A plugin's marker is left to the plugin: registering it by hand would
    only turn the finding into ASL407's.
    """
    plugins = " or ".join(p.distribution for p in plugins_with_marker(name))
    config = governance.config
    where_text = config.path.name if config else "any pytest config"
    # A pending header fix changes what is registered; judge again after it.
    pending = any(s.replacement for c in governance.walked for s in c.ignored)
    fix = None
    hint = f"; it belongs to {plugins}, {_MISSING}" if plugins else ""
    target = context.config_target(governance)
    entry = context.entry(name, governance)
    if not (plugins or pending) and context.registers(target, entry):
        edit = ConfigEdit(target, "add-markers", (entry,))
        fix = Fix(Applicability.SAFE, f"register '{name}' in {target.name}", edit)
    return MarkerNotRegistered.violation(
        path, where, fix, name=name, config=where_text, plugin=hint
    )


def _registrations(
    context: CheckContext,
    path: Path,
    facts: MarkerFacts,
    governance: Governance,
    proven: frozenset[str],
) -> Iterator[Violation]:
    available = context.available(governance.base) | proven
    module = module_name(path) if facts.registrations else None
    for registration in facts.registrations:
        if registration.key != "markers":
            reason = f"the ini option is 'markers', not {registration.key!r}"
            yield MarkerRegistrationMalformed.violation(
                path, registration.where, text=registration.line, reason=reason
            )
            continue
        problem = malformed_reason(registration.line)
        if problem is not None:
            yield MarkerRegistrationMalformed.violation(
                path, registration.where, text=registration.line, reason=problem
            )
            continue
        missing = missing_plugin(registration.name, available, module)
        if missing is not None:
            yield MarkerRegistrationMasksPlugin.violation(
                path, registration.where, name=registration.name, plugin=missing
            )


def malformed_reason(line: str) -> str | None:
    """Why pytest would register something else than meant, if it would."""
    name = line.split(":", 1)[0].split("(", 1)[0].strip()
    if name.isidentifier():
        return None
    if ":" not in line:
        return f"without a colon the whole line is the name ({name!r})"
    return f"the name before the colon is {name!r}, not an identifier"


def missing_plugin(
    name: str, available: frozenset[str], module: str | None = None
) -> str | None:
    """The plugin a hand-registered `name` stands in for, if none is present.

    `module` names the Python file that registers it: a plugin registering
    its own marker in its own `pytest_configure` stands in for nothing.
    """
    plugins = plugins_with_marker(name)
    if not plugins or any(p.distribution in available for p in plugins):
        return None
    if module is not None and any(p.owns(module) for p in plugins):
        return None
    return " or ".join(p.distribution for p in plugins)


def _async_definitions(
    path: Path, facts: MarkerFacts, governance: Governance, known: Known
) -> Iterator[Violation]:
    for definition in _collected(path, facts, governance):
        reason = unrun_reason(definition, known, facts, governance.config)
        if reason is None:
            continue
        kind = "fixture" if definition.is_fixture else "test"
        yield AsyncTestWithoutPlugin.violation(
            path, definition.where, kind=kind, name=definition.name, reason=reason
        )


def _collected(
    path: Path, facts: MarkerFacts, governance: Governance
) -> list[AsyncDefinition]:
    """The async tests and fixtures of the file that pytest collects."""
    if not facts.async_definitions:
        return []
    config = governance.config
    patterns: tuple[str, ...] = _DEFAULT_TEST_FILES
    if config is not None and "python_files" in config.settings:
        patterns = tuple(config.settings["python_files"].split())
    is_test_module = any(fnmatch.fnmatch(path.name, p) for p in patterns)
    in_conftest = path.name == "conftest.py"
    return [
        d
        for d in facts.async_definitions
        if is_test_module or (in_conftest and d.is_fixture)
    ]
