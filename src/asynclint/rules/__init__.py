"""Rule discovery: every `Rule` subclass defined in a module of this package."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from asynclint.rules.base import Rule

__all__ = ["Rule", "all_rules", "rule_for_code", "rule_named"]


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
                and hasattr(value, "code")
            ):
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def rule_for_code(code: str) -> type[Rule] | None:
    """The rule with exactly this code, if there is one."""
    for rule in all_rules():
        if rule.code == code:
            return rule
    return None


def rule_named(name: str) -> type[Rule] | None:
    """The rule whose code or slug is `name`, in any letter case."""
    wanted = name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.slug:
            return rule
    return None
