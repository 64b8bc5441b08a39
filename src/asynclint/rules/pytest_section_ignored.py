"""ASL404: a pytest section with the wrong header for its file."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rules.base import Rule


class PytestSectionIgnored(Rule):
    """A pytest section that pytest ignores in that file.

    pytest.ini and tox.ini read `[pytest]`, setup.cfg reads
    `[tool:pytest]` (and refuses to start on `[pytest]`), pyproject.toml
    reads `[tool.pytest]` or `[tool.pytest.ini_options]`, pytest.toml reads
    `[pytest]`. A pytest.ini with only `[tool:pytest]` is still the config
    pytest picks, so nothing at all is configured. The fix renames the
    header when that cannot collide with another section.
    """

    code: ClassVar[str] = "ASL404"
    slug: ClassVar[str] = "pytest-section-ignored"
    message: ClassVar[str] = "pytest ignores the {header} section in {file}{hint}"
    fixable: ClassVar[bool] = True
