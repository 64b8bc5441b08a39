"""ASL405: a config file pytest refuses to start with."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class PytestConfigInvalid(Rule):
    """A pytest config that pytest rejects.

    Examples: TOML or INI that does not parse, both `[tool.pytest]` and
    `[tool.pytest.ini_options]` in one pyproject.toml, options outside the
    `[pytest]` table of pytest.toml, a `markers` value that is not a list
    of strings in TOML mode, a config file that is not UTF-8 (pytest reads
    every one it looks at as UTF-8, whatever its sections hold). pytest
    stops before collecting anything.
    """

    code: ClassVar[str] = "ASL405"
    slug: ClassVar[str] = "pytest-config-invalid"
    message: ClassVar[str] = "pytest rejects {file}: {problem}"
