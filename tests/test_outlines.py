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


# -- found by trying to break outlines ------------------------------------------
#
# Each project below puts the facts in an imported module (the one an
# outline leaves bodies out of) and the awaits and calls in the checked
# file; a run that reads the import from its outline must report what a
# run without a cache does.

_SERVICE = (
    "from app import helpers\n\n\n"
    "async def handle():\n"
    "    helpers.slow()\n"
    "    await helpers.sync_fn()\n"
)
_HELPERS = (
    "import time\n\n\n"
    "def slow():\n"
    "    time.sleep(1)\n\n\n"
    "def sync_fn():\n"
    "    return 1\n"
)


def _cold_and_warm(
    root: Path,
    helpers: bytes,
    service: str = _SERVICE,
    tamper: object = None,
) -> tuple[str, str]:
    """What a run without a cache reports for app/service.py, and what a
    run reports for it once edited, with its imports read from outlines
    (`tamper`, if given, is called with the outline store first)."""
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n')
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_bytes(helpers)
    service_path = package / "service.py"
    service_path.write_text(service)
    cache = ["--cache-dir", str(root / "cache")]
    _run(root, *cache, ".")  # keeps every module's outline
    if tamper is not None:
        (store,) = (root / "cache").glob("*/outlines.pickle")
        tamper(store)  # type: ignore[operator]
    service_path.write_text(service + "# edited\n")
    warm = _run(root, *cache, "app/service.py")
    cold = _run(root, "--no-cache", ".")
    return cold, warm


@pytest.mark.parametrize(
    ("source", "why"),
    [
        (
            "import time\n\n\x0cdef slow():\n    time.sleep(1)\n",
            "a form feed before a top-level `def` (GNU style page breaks)",
        ),
        (
            "def f():\n    return 1 \\\n\nx = 2\n",
            "a body's last line ends with a backslash before a blank line",
        ),
        (
            "class A:\n    def m(self):\n        return 1 \\\n        # note\n",
            "a method's last line ends with a backslash before a comment",
        ),
    ],
    ids=["form-feed-before-def", "backslash-then-blank", "backslash-then-comment"],
)
def test_a_skeleton_of_unusual_layout_reads_back_whole(
    tmp_path: Path, source: str, why: str
) -> None:
    path = tmp_path / "m.py"
    path.write_text(source)
    found = _both(path)
    assert found is not None, why  # a body is left out
    whole, lazy, _ = found
    assert _facts(lazy) == _facts(whole), why
    assert ast.dump(lazy.tree, include_attributes=True) == ast.dump(
        whole.tree, include_attributes=True
    ), why


def test_a_form_feed_before_an_imported_def_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    helpers = _HELPERS.replace("\n\ndef sync_fn", "\n\x0cdef sync_fn")
    cold, warm = _cold_and_warm(tmp_path, helpers.encode())
    assert "app/service.py:6:5: ASL101" in cold
    assert warm == cold


def test_a_trailing_backslash_in_an_imported_body_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    helpers = _HELPERS.replace("time.sleep(1)\n", "time.sleep(1) \\\n\n")
    cold, warm = _cold_and_warm(tmp_path, helpers.encode())
    assert "app/service.py:5:5: ASL301" in cold
    assert warm == cold


def test_a_special_store_in_a_comprehension_split_over_lines_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The module's text may store in an expression (`setattr` in `other`),
    # so a whole summary walks every expression and finds `patch` storing
    # `Feed.__iter__`: Feed is patched and `for` over it is not judged. The
    # body of `patch` alone does not match the text test (its target is
    # split over lines), so its outline left it out, and the skeleton's
    # special stores skip it.
    monkeypatch.chdir(tmp_path)
    helpers = (
        "class Feed:\n"
        "    def __aiter__(self):\n"
        "        return self\n\n"
        "    async def __anext__(self):\n"
        "        raise StopAsyncIteration\n\n\n"
        "def patch(f):\n"
        "    return [0 for (Feed\n"
        "                   .__iter__) in [f]]\n\n\n"
        "def other(obj):\n"
        "    setattr(obj, 'x', 1)\n"
    )
    service = (
        "from app import helpers\n\n\n"
        "async def handle():\n"
        "    for item in helpers.Feed():\n"
        "        print(item)\n"
    )
    cold, warm = _cold_and_warm(tmp_path, helpers.encode(), service)
    assert "ASL104" not in cold
    assert warm == cold


def _tampered(change: object) -> object:
    """A tamper that replaces app/helpers.py's stored entry by
    `change(entry)`."""
    import pickle

    def tamper(store: Path) -> None:
        stored = pickle.loads(store.read_bytes())
        (key,) = [k for k in stored if k.endswith("helpers.py")]
        stored[key] = change(stored[key])  # type: ignore[operator]
        store.write_bytes(pickle.dumps(stored))

    return tamper


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda entry: (entry[0], entry[1][:-3]), "an outline cut short"),
        (lambda entry: 7, "an entry that is no pair"),
        (lambda entry: (entry[0],), "an entry with no outline"),
    ],
    ids=["cut-short", "not-a-pair", "no-outline"],
)
def test_a_broken_outline_entry_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object, why: str
) -> None:
    monkeypatch.chdir(tmp_path)
    cold, warm = _cold_and_warm(tmp_path, _HELPERS.encode(), tamper=_tampered(change))
    assert "app/service.py:6:5: ASL101" in cold
    assert warm == cold, why
