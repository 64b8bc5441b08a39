"""Where users read about asynclint and about each rule."""

from __future__ import annotations

from asynclint import rules

# The project's public page; the README shown there has one heading per rule,
# "CODE slug" (for example "ASL101 await-not-awaitable"), whose anchor the
# rule links point at.
HOMEPAGE = "https://pypi.org/project/asynclint/"


def rule_url(code: str) -> str | None:
    """The documentation anchor of the rule with `code`, if it is one of ours."""
    slug = rule_slug(code)
    if slug is None:
        return None
    return f"{HOMEPAGE}#{code.lower()}-{slug}"


def rule_slug(code: str) -> str | None:
    """The slug of the rule with `code`, if it is one of ours."""
    return rules.SLUGS.get(code)
