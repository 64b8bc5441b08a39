"""Rule discovery: every `Rule` subclass defined in a module of this package."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from asynclint.rules.base import Rule

__all__ = ["SLUGS", "Rule", "all_rules", "rule_for_code", "rule_named"]

# Every rule's slug by code, for output that names rules without checking
# (a warm run's report): importing the rules costs more than the run. A
# meta-test holds it equal to what the rule classes say.
SLUGS = {
    "ASL001": "unused-suppression",
    "ASL101": "await-not-awaitable",
    "ASL102": "coroutine-not-awaited",
    "ASL103": "async-hook-never-awaited",
    "ASL104": "iteration-form-mismatch",
    "ASL201": "async-cm-awaited",
    "ASL202": "async-cm-used-as-value",
    "ASL203": "async-cm-sync-with",
    "ASL204": "sync-cm-async-with",
    "ASL205": "not-a-context-manager",
    "ASL301": "blocking-call-in-async",
    "ASL401": "marker-not-registered",
    "ASL402": "marker-misspelled",
    "ASL403": "marker-config-shadowed",
    "ASL404": "pytest-section-ignored",
    "ASL405": "pytest-config-invalid",
    "ASL406": "marker-registration-malformed",
    "ASL407": "marker-registration-masks-plugin",
    "ASL408": "async-test-without-plugin",
}


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
