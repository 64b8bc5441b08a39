"""What `check` works from: the project, the environment, the user's wishes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.markers.configs import PytestConfig
from asynclint.markers.dependencies import declared_distributions
from asynclint.markers.plugins import with_required
from asynclint.markers.project import Governance, Project
from asynclint.markers.registry import Known, known_markers
from asynclint.types import CodePosition, CodeRange


@dataclass(slots=True)
class CheckContext:
    """Shared, cached lookups for one `check` call."""

    project: Project
    installed: frozenset[str]
    descriptions: Mapping[str, str]
    _declared: dict[Path, frozenset[str]] = field(default_factory=dict)

    def available(self, directory: Path) -> frozenset[str]:
        """Plugins declared for `directory` (and the root) or installed, with
        the plugins those require."""
        if directory not in self._declared:
            places = {self.project.root, directory}
            declared = declared_distributions(sorted(places)) | self.installed
            self._declared[directory] = with_required(declared)
        return self._declared[directory]

    def known(self, path: Path, config: PytestConfig | None, base: Path) -> Known:
        """The markers registered for `path` when pytest runs from `base`."""
        return known_markers(self.project, path, config, base, self.available(base))

    def line_range(self, path: Path, line: int) -> CodeRange:
        """The whole of 1-based `line` in a config file."""
        lines = (self.project.text(path) or "").splitlines()
        width = len(lines[line - 1]) if 0 < line <= len(lines) else 0
        return CodeRange(CodePosition(line, 0), CodePosition(line, width))

    def config_target(self, governance: Governance) -> Path:
        """The config file an added marker goes to."""
        if governance.config is not None:
            return governance.config.path
        pyproject = self.project.root / "pyproject.toml"
        return pyproject if pyproject.is_file() else self.project.root / "pytest.ini"

    def entry(self, name: str, governance: Governance) -> str:
        """A `markers` entry for `name`, with a description when one is known."""
        if name in self.descriptions:
            return f"{name}: {self.descriptions[name]}"
        for config in governance.walked:
            for marker in config.markers:
                if marker.name == name and ":" in marker.text:
                    return marker.text
        return name
