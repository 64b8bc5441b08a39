"""Imported modules parsed with function bodies left out (outlines.py).

A module summarised from its skeleton must be, once every left-out body
is read, the module summarised whole: the same syntax tree, positions
included, and the same summary. That is checked on every fixture module
and on asynclint's own source; then a pre-commit run over an edited file
is checked to read its imports lazily and report what a cold run does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

import asynclint
from asynclint import class_patches, outlines
from asynclint.cli import main
from asynclint.index import ProjectIndex, decode_source, parse
from asynclint.summary import FunctionInfo, ModuleSummary

FIXTURES = Path(__file__).parent / "fixtures"
OWN_SOURCE = Path(asynclint.__file__).parent
MODULES = sorted([*FIXTURES.rglob("*.py"), *OWN_SOURCE.rglob("*.py")])


def _ids(path: Path) -> str:
    base = FIXTURES if path.is_relative_to(FIXTURES) else OWN_SOURCE.parent
    return str(path.relative_to(base))


def _facts(summary: ModuleSummary) -> dict[str, object]:
    """What inference reads of a summary, with every body read."""

    def function(info: FunctionInfo) -> tuple[object, ...]:
        return (
            info.qualname,
            info.kind,
            info.always_raises,
            [ast.dump(r) if r is not None else None for r in info.returns],
            {name: [b.kind for b in found] for name, found in info.bindings.items()},
            [ast.dump(call) for call in info.calls],
        )

    functions = sorted(
        (function(info) for info in summary.functions), key=lambda f: repr(f)
    )
    return {
        "bindings": {n: [b.kind for b in bs] for n, bs in summary.bindings.items()},
        "functions": functions,
        "classes": [
            (
                c.qualname,
                sorted(c.methods),
                {a: len(s) for a, s in c.self_assignments.items()},
            )
            for c in summary.classes
        ],
    }


def _both(path: Path) -> tuple[ModuleSummary, ModuleSummary, str] | None:
    """The module summarised whole, and from its skeleton (None: nothing
    of it may be left out)."""
    source = decode_source(path.read_bytes())
    try:
        whole = ProjectIndex().summarize_tree(path, parse(source, str(path)), source)
    except (SyntaxError, ValueError):
        return None
    deferred = outlines.entries(outlines.outline_of(whole, source))
    if not deferred:
        return None
    lazy = ProjectIndex()._skeleton(path.absolute(), source, deferred)
    return whole, lazy, source


@pytest.mark.parametrize("path", MODULES, ids=[_ids(p) for p in MODULES])
def test_a_skeleton_read_whole_is_the_module(path: Path) -> None:
    found = _both(path)
    if found is None:
        return
    whole, lazy, _ = found
    # Special stores are found without reading any left-out body.
    pending = sum(outlines.is_pending(f.node.body) for f in lazy.functions)
    stores = [
        (ast.dump(t), type(s).__name__) for t, s in class_patches.special_stores(lazy)
    ]
    assert sum(outlines.is_pending(f.node.body) for f in lazy.functions) == pending
    expected_stores = class_patches.special_stores(whole)
    assert stores == [(ast.dump(t), type(s).__name__) for t, s in expected_stores]
    # Read every body (facts first: a summary read by inference, not a walk).
    assert _facts(lazy) == _facts(whole)
    assert ast.dump(lazy.tree, include_attributes=True) == ast.dump(
        whole.tree, include_attributes=True
    )


def test_own_source_leaves_most_bodies_out() -> None:
    # The outline is worth having: on asynclint's own modules most
    # outermost bodies may be left out.
    left_out = total = 0
    for path in sorted(OWN_SOURCE.rglob("*.py")):
        source = decode_source(path.read_bytes())
        whole = ProjectIndex().summarize_tree(path, parse(source, str(path)), source)
        total += sum(1 for f in whole.functions if f.parent is None)
        left_out += len(outlines.entries(outlines.outline_of(whole, source)))
    assert left_out > total // 2


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("    global COUNT\n    COUNT = 1\n", "binds a module name"),
        ("    class Local:\n        pass\n    return Local\n", "defines a class"),
        ("    Thing.__aiter__ = None\n", "stores a special method"),
        ("    setattr(Thing, name, None)\n", "may store one"),
    ],
)
def test_bodies_other_facts_depend_on_stay(body: str, why: str) -> None:
    source = f"class Thing:\n    pass\n\n\ndef kept(name):\n{body}\n\ndef left(x):\n    return x\n"
    whole = ProjectIndex().summarize_tree(Path("m.py"), parse(source, "m.py"), source)
    deferred = outlines.entries(outlines.outline_of(whole, source))
    left = source.split("\n").index("def left(x):") + 1
    assert sorted(deferred) == [left], why


def test_self_assignments_keep_their_method() -> None:
    source = (
        "class Client:\n"
        "    def __init__(self):\n"
        "        self.session = None\n"
        "\n"
        "    def close(self):\n"
        "        return self.session\n"
    )
    whole = ProjectIndex().summarize_tree(Path("m.py"), parse(source, "m.py"), source)
    assert sorted(outlines.entries(outlines.outline_of(whole, source))) == [5]


def test_a_module_that_spells_all_elsewhere_is_parsed_whole() -> None:
    source = "__all__ = ['f']\n\n\ndef f():\n    __all__.append('g')\n    return 1\n"
    whole = ProjectIndex().summarize_tree(Path("m.py"), parse(source, "m.py"), source)
    assert outlines.outline_of(whole, source) == b""


def _project(root: Path) -> None:
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n')
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text(
        "import time\n\n\n"
        "def make_manager():\n"
        "    '''A factory whose result is known only from its body.'''\n"
        "    return Manager()\n\n\n"
        "class Manager:\n"
        "    def get_connections(self, uid):\n"
        "        return [uid]\n\n"
        "    def pause(self):\n"
        "        time.sleep(1)\n\n\n"
        "def unrelated(value):\n"
        "    return value * 2\n"
    )
    (package / "service.py").write_text(
        "from app.helpers import make_manager\n\n\n"
        "async def handle(uid):\n"
        "    manager = make_manager()\n"
        "    manager.pause()\n"
        "    return await manager.get_connections(uid)\n"
    )


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--jobs", "1"], catch_exceptions=False)
    return "\n".join(
        line for line in result.output.splitlines() if line.startswith("app/")
    )


def test_an_edited_file_reads_its_imports_lazily_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    cold = _run(tmp_path, "--no-cache", ".")
    assert "app/service.py:6:5: ASL301" in cold
    assert "app/service.py:7:12: ASL101" in cold
    cache = ["--cache-dir", str(tmp_path / "cache")]
    _run(tmp_path, *cache, ".")  # keeps every module's outline
    skeletons: list[Path] = []
    real = ProjectIndex._skeleton

    def counted(self: ProjectIndex, path: Path, *rest: object) -> ModuleSummary:
        skeletons.append(path)
        return real(self, path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(ProjectIndex, "_skeleton", counted)
    service = tmp_path / "app/service.py"
    service.write_text(service.read_text() + "# edited\n")
    assert _run(tmp_path, *cache, "app/service.py") == cold
    assert skeletons == [tmp_path / "app/helpers.py"]


def test_an_outline_of_other_bytes_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    _run(tmp_path, *cache, ".")
    helpers = tmp_path / "app/helpers.py"
    # Same size, other bytes: the body of `pause` no longer blocks.
    text = helpers.read_text()
    helpers.write_text(text.replace("time.sleep(1)", "time.time( )"))
    service = tmp_path / "app/service.py"
    service.write_text(service.read_text() + "# edited\n")
    found = _run(tmp_path, *cache, "app/service.py")
    assert "ASL301" not in found
    assert "app/service.py:7:12: ASL101" in found
