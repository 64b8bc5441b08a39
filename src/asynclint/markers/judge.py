"""The project-level check of the marker family (ASL401-ASL408)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from asynclint.markers.config_judge import (
    judge_config,
    judge_expressions,
    judge_nested,
    judge_shadowing,
)
from asynclint.markers.configs import PytestConfig
from asynclint.markers.context import CheckContext
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.file_judge import judge_file
from asynclint.markers.plugins import installed_distributions, normalise
from asynclint.markers.project import Project
from asynclint.types import Violation

_NO_DESCRIPTIONS: Mapping[str, str] = {}


def check(
    facts: Mapping[Path, MarkerFacts],
    *,
    project_root: Path,
    load_facts: Callable[[Path], MarkerFacts | None],
    declared_marker_descriptions: Mapping[str, str] = _NO_DESCRIPTIONS,
    installed: Collection[str] | None = None,
) -> list[Violation]:
    """Every marker-family violation for the checked files and their configs.

    `installed` names the distributions to treat as installed; by default
    they are read from this environment's metadata.
    """
    present = (
        installed_distributions()
        if installed is None
        else frozenset(normalise(name) for name in installed)
    )
    project = Project(project_root, facts, load_facts)
    context = CheckContext(project, present, declared_marker_descriptions)
    found: dict[tuple[object, ...], Violation] = {}
    configs: dict[Path, PytestConfig] = {}

    for path, file_facts in facts.items():
        governance = project.governance(path)
        configs.update((c.path, c) for c in governance.walked)
        _add(found, judge_file(context, path, file_facts, governance))
        _add(found, judge_shadowing(context, governance))
        _add(found, judge_nested(context, path, file_facts, governance))
        _add(found, judge_expressions(context, governance))

    for config in configs.values():
        _add(found, judge_config(context, config))
    return list(found.values())


def _add(found: dict[tuple[object, ...], Violation], new: Iterable[Violation]) -> None:
    for violation in new:
        key = (violation.path, violation.range, violation.code, violation.message)
        found.setdefault(key, violation)
