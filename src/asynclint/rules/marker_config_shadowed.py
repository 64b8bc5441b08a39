"""ASL403: marker registrations in a config file pytest does not read."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class MarkerConfigShadowed(Rule):
    """Markers are registered in a file pytest does not read.

    pytest reads exactly one config file: in each directory the first of
    pytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml,
    tox.ini and setup.cfg that holds pytest settings (pytest.ini and
    pytest.toml count even when empty), nothing merged. Registrations in a
    file behind it are ignored. A nested config changes the markers of the
    tests below it when pytest is run from there or on that directory.
    """

    code: ClassVar[str] = "ASL403"
    slug: ClassVar[str] = "marker-config-shadowed"
    message: ClassVar[str] = "markers registered in {file} are ignored: {reason}"
