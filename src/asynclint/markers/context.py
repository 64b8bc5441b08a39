"""What `check` works from: the project, the environment, the user's wishes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.markers.configs import PytestConfig
from asynclint.markers.dependencies import declared_distributions
from asynclint.markers.facts import MarkerFacts
from asynclint.markers.plugins import Plugin, known_plugins, with_required
from asynclint.markers.project import Governance, Project
from asynclint.markers.registry import Known, downwards, known_markers
from asynclint.markers.suite import imported_plugins, suite_plugins
from asynclint.types import CodePosition, CodeRange, ConfigEdit


@dataclass(slots=True)
class CheckContext:
    """Shared, cached lookups for one `check` call."""

    project: Project
    installed: frozenset[str]
    descriptions: Mapping[str, str]
    _declared: dict[Path, frozenset[str]] = field(default_factory=dict)
    _proven: dict[tuple[Path, Path | None], frozenset[str]] = field(
        default_factory=dict
    )
    _editable: dict[tuple[Path, str], bool] = field(default_factory=dict)

    def available(self, directory: Path) -> frozenset[str]:
        """Plugins declared for `directory` (and the root) or installed, with
        the plugins those require."""
        if directory not in self._declared:
            places = {self.project.root, directory}
            declared = declared_distributions(sorted(places)) | self.installed
            self._declared[directory] = with_required(declared)
        return self._declared[directory]

    def absent(self, directory: Path) -> list[Plugin]:
        """The well-known plugins `available` does not count as present."""
        present = self.available(directory)
        return [p for p in known_plugins() if p.distribution not in present]

    def proven(self, base: Path, config: PytestConfig | None) -> frozenset[str]:
        """Plugins the suite run from `base` imports (see suite.py), with
        those they require. Worked out once, and only when asked: the
        judges ask when a finding could depend on it."""
        key = (base, config.path if config is not None else None)
        if key not in self._proven:
            found = suite_plugins(self.project, base, config, self.absent(base))
            self._proven[key] = with_required(found)
        return self._proven[key]

    def proof(
        self, path: Path, facts: MarkerFacts, governance: Governance
    ) -> frozenset[str]:
        """Plugins the suite, `path` itself or its conftests import."""
        base = governance.base
        owners = {n: p.distribution for p in self.absent(base) for n in p.packages}
        own = set(imported_plugins(self.project, base, path, facts, owners))
        for directory in downwards(base, path):
            conftest = directory / "conftest.py"
            found = self.project.python(conftest)
            if found is not None:
                own.update(
                    imported_plugins(self.project, base, conftest, found, owners)
                )
        return self.proven(base, governance.config) | with_required(own)

    def known(
        self,
        path: Path,
        config: PytestConfig | None,
        base: Path,
        proven: frozenset[str] = frozenset(),
    ) -> Known:
        """The markers registered for `path` when pytest runs from `base`,
        with the `proven` plugins present as well."""
        available = self.available(base) | proven
        return known_markers(self.project, path, config, base, available)

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

    def registers(self, target: Path, entry: str) -> bool:
        """Whether adding `entry` to the config at `target` changes it: a
        layout the editors decline gets no fix, rather than one that would
        stay on offer however often it is applied."""
        key = (target, entry)
        if key not in self._editable:
            # Only a finding that could be fixed needs the editors.
            from asynclint.markers.edits import edit_config_text

            text = self.project.text(target) or ""
            edit = ConfigEdit(target, "add-markers", (entry,))
            self._editable[key] = edit_config_text(text, target, [edit]) != text
        return self._editable[key]

    def entry(self, name: str, governance: Governance) -> str:
        """A `markers` entry for `name`, with a description when one is known."""
        if name in self.descriptions:
            return f"{name}: {self.descriptions[name]}"
        for config in governance.walked:
            for marker in config.markers:
                if marker.name == name and ":" in marker.text:
                    return marker.text
        return name
