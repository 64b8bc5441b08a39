"""Violations found in the config files around the checked files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from asynclint.markers.configs import PytestConfig
from asynclint.markers.context import CheckContext
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.file_judge import (
    malformed_reason,
    missing_plugin,
    plugin_may_know,
    unregistered,
)
from asynclint.markers.project import Governance
from asynclint.markers.registry import marker_expression_names
from asynclint.rules.marker_config_shadowed import MarkerConfigShadowed
from asynclint.rules.marker_registration_malformed import MarkerRegistrationMalformed
from asynclint.rules.marker_registration_masks_plugin import (
    MarkerRegistrationMasksPlugin,
)
from asynclint.rules.pytest_config_invalid import PytestConfigInvalid
from asynclint.rules.pytest_section_ignored import PytestSectionIgnored
from asynclint.types import Applicability, ConfigEdit, Fix, Violation


def judge_config(context: CheckContext, config: PytestConfig) -> Iterator[Violation]:
    """ASL404, ASL405, ASL406 and ASL407 for one config file."""
    path = config.path
    if config.problem is not None:
        where = context.line_range(path, config.problem_line)
        yield PytestConfigInvalid.violation(
            path, where, file=path.name, problem=config.problem
        )
    for section in config.ignored:
        yield _ignored_section(context, config, section.header, section.line)
    available = context.available(path.parent)
    for marker in config.markers:
        where = context.line_range(path, marker.line)
        reason = malformed_reason(marker.text)
        if reason is not None:
            yield MarkerRegistrationMalformed.violation(
                path, where, text=marker.text, reason=reason
            )
            continue
        missing = missing_plugin(marker.name, available)
        if missing is not None:
            # Only now is the suite's proof worth reading.
            available |= context.proven(path.parent, config)
            missing = missing_plugin(marker.name, available)
        if missing is not None:
            yield MarkerRegistrationMasksPlugin.violation(
                path, where, name=marker.name, plugin=missing
            )


def _ignored_section(
    context: CheckContext, config: PytestConfig, header: str, line: int
) -> Violation:
    section = next(s for s in config.ignored if s.header == header)
    earlier = context.project.directory(config.path.parent)
    ahead = earlier[: earlier.index(config)]
    # Renaming is only harmless where the file then is the one pytest reads.
    usable = section.fatal or config.selected or not any(c.selected for c in ahead)
    fix = None
    hint = ""
    if section.replacement is not None:
        hint = f"; pytest reads {section.replacement} there"
        if usable:
            edit = ConfigEdit(
                config.path, "rename-section", (header, section.replacement)
            )
            description = f"rename {header} to {section.replacement}"
            fix = Fix(Applicability.SAFE, description, edit)
    where = context.line_range(config.path, line)
    return PytestSectionIgnored.violation(
        config.path, where, fix, header=header, file=config.path.name, hint=hint
    )


def judge_shadowing(
    context: CheckContext, governance: Governance
) -> Iterator[Violation]:
    """ASL403 for files behind the one pytest picks in the same directory."""
    for chosen in (*governance.nested, governance.config):
        if chosen is None:
            continue
        siblings = context.project.directory(chosen.path.parent)
        for other in siblings[siblings.index(chosen) + 1 :]:
            if other.selected and other.markers:
                reason = f"{chosen.path.name} in the same directory takes precedence"
                where = context.line_range(other.path, other.section_line)
                yield MarkerConfigShadowed.violation(
                    other.path, where, file=other.path.name, reason=reason
                )


def judge_nested(
    context: CheckContext,
    path: Path,
    facts: MarkerFacts,
    governance: Governance,
) -> Iterator[Violation]:
    """ASL403 for a nested config that changes which of `path`'s marks exist."""
    outer = governance.config
    if outer is None:
        return
    root_known = context.known(path, outer, governance.base)
    used = sorted({u.name for u in facts.uses})
    for nested in governance.nested:
        if nested.refuses:
            continue
        base = nested.path.parent
        known = context.known(path, nested, base)
        if known.open or root_known.open:
            continue
        lost = [n for n in used if (n in known.names) != (n in root_known.names)]
        if lost:
            # Both runs share one environment: what either suite's imports
            # prove installed is there for both.
            proven = context.proven(governance.base, outer)
            proven |= context.proven(base, nested)
            inner = context.known(path, nested, base, proven)
            outer_known = context.known(path, outer, governance.base, proven)
            lost = [n for n in lost if (n in inner.names) != (n in outer_known.names)]
        if not lost:
            continue
        directory = nested.path.parent.name or str(nested.path.parent)
        reason = (
            f"running pytest on {directory}/ makes it replace {outer.path.name}, "
            f"which changes whether {', '.join(map(repr, lost))} is registered"
        )
        where = context.line_range(nested.path, nested.section_line)
        yield MarkerConfigShadowed.violation(
            nested.path, where, file=nested.path.name, reason=reason
        )


def judge_expressions(
    context: CheckContext, governance: Governance
) -> Iterator[Violation]:
    """ASL401 for names in the governing config's `-m` expressions."""
    config = governance.config
    if config is None or config.refuses:
        return
    known = context.known(config.path, config, governance.base)
    if known.open:
        return
    names = marker_expression_names(config.addopts)
    absent = context.absent(governance.base)
    unknown = [n for n in names if n not in known.names]
    if any(plugin_may_know(name, absent) for name in unknown):
        proven = context.proven(governance.base, config)
        known = context.known(config.path, config, governance.base, proven)
    for name in names:
        if name in known.names:
            continue
        where = context.line_range(config.path, config.addopts_line)
        yield unregistered(context, config.path, where, name, governance)
