"""Which plugin a registering module belongs to, for ASL407."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.markers.file_judge import missing_plugin
from asynclint.markers.project import module_name


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", "utf-8")
    return path


def test_module_name_follows_the_init_chain(tmp_path: Path) -> None:
    _touch(tmp_path / "src" / "anyio" / "__init__.py")
    _touch(tmp_path / "src" / "anyio" / "_core" / "__init__.py")
    plugin = _touch(tmp_path / "src" / "anyio" / "_core" / "plugin.py")
    lone = _touch(tmp_path / "tests" / "conftest.py")

    assert module_name(plugin) == "anyio._core.plugin"
    assert module_name(plugin.parent / "__init__.py") == "anyio._core"
    assert module_name(lone) == "conftest"


@pytest.mark.parametrize(
    ("name", "module", "missing"),
    [
        ("anyio", "anyio.pytest_plugin", None),
        ("anyio", "anyio", None),
        ("trio", "pytest_trio.plugin", None),
        ("flaky", "pytest_rerunfailures", None),
        ("anyio", "loopkit.anyio", "anyio"),
        ("anyio", "anyio_helpers", "anyio"),
        ("anyio", "pytest_trio.plugin", "anyio"),
        ("anyio", None, "anyio"),
        ("benchmark", None, "pytest-benchmark or pytest-codspeed"),
        ("benchmark", "pytest_codspeed.plugin", None),
        ("codspeed_benchmark", None, "pytest-codspeed"),
    ],
)
def test_only_the_plugins_own_modules_register_its_marker(
    name: str, module: str | None, missing: str | None
) -> None:
    assert missing_plugin(name, frozenset(), module) == missing
