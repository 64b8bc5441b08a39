"""Imported modules parsed without the function bodies nobody reads.

A checked file's imports are summarised for what they define, but
inference looks into few of their function bodies: on the benchmark's
pre-commit run over five edited files, 311 of the 2,301 functions in the
modules they import. A run that parses a module whole keeps its outline:
the line span of each outermost function body that can be left out
without changing anything summarised outside it. A later run that needs
the module unchanged parses a skeleton instead, those bodies blanked to
`...` with every line number kept, and parses a body on its own the first
time anything reads it (`LazyBody`), summarising it into its function as
if it had been there from the start.

A body is left out only when nothing outside it depends on it: it
declares no `global` or `nonlocal`, defines no class, assigns no
attribute of the method's first parameter (those are class facts), and
stores no special method, as a statement's target or, in a module whose
text may store inside an expression, in one, `setattr` included
(class_patches.py). A module that spells `__all__` outside its top-level
bindings, or ends lines with a lone carriage return, is always parsed
whole. The outline is keyed by a digest of the file's bytes and of the
Python version, so a stale one is never used.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from asynclint import kept_tables

if TYPE_CHECKING:
    from asynclint.summary import FunctionInfo, ModuleSummary

# One left-out body: the `def` line, the first and last line of the body,
# the function's end column, whether it is a generator and whether its
# body only raises (the facts a summary needs without the body).
_FIELDS = 6


class Deferred(NamedTuple):
    def_line: int
    first: int
    last: int
    end_col: int
    is_generator: bool
    always_raises: bool


def digest(data: bytes) -> bytes:
    """The key of an outline: the file's bytes, and the Python version that
    parsed them (a cache shared by interpreters must not hand one a skeleton
    of a module it cannot parse whole)."""
    key = hashlib.blake2b(data, digest_size=16)
    key.update(b"%d.%d" % sys.version_info[:2])
    return key.digest()


# -- what can be left out ---------------------------------------------------


def outline_of(summary: ModuleSummary, source: str) -> bytes:
    """The outline of a module summarised whole from `source` (empty: no
    body may be left out)."""
    from asynclint.class_patches import special_stores
    from asynclint.summary import FunctionInfo

    if not _module_allows(summary, source):
        return b""
    lines = source.split("\n")
    pinned = summary.pinned
    for klass in summary.classes:
        for stores in klass.self_assignments.values():
            pinned.update(id(_outermost(function)) for _, function in stores)
    # A body storing a special method keeps it: a skeleton's special stores
    # skip the bodies left out (class_patches.py). Found as that module
    # finds them, statements and, where the text may hold one, expressions.
    for _target, scope in special_stores(summary):
        if isinstance(scope, FunctionInfo):
            pinned.add(id(_outermost(scope)))
    numbers = array("i")
    for node in _outermost_defs(summary.tree.body):
        function = summary.function_of_node[id(node)]
        if id(function) in pinned:
            continue
        first = _first_line(node.body[0], lines)
        if first is None:
            continue  # `def f(): return 1`: nothing to save
        last = node.end_lineno or first
        text = "\n".join(lines[first - 1 : last])
        # Only a body that spells `yield` can make a generator: the others
        # need no walk to tell (walking every body is what summaries avoid).
        generator = "yield" in text and function.is_generator
        numbers.extend(
            (
                node.lineno,
                first,
                last,
                node.end_col_offset or 0,
                int(generator),
                int(function.always_raises),
            )
        )
    return numbers.tobytes()


def _module_allows(summary: ModuleSummary, source: str) -> bool:
    top_level_all = len(summary.bindings.get("__all__", ()))
    if (summary.all_spellings or 0) > top_level_all:
        return False
    return "\r" not in source.replace("\r\n", "")


def _outermost(function: FunctionInfo) -> FunctionInfo:
    while function.parent is not None:
        function = function.parent
    return function


def _outermost_defs(
    body: list[ast.stmt],
) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions not inside any function: at module level, in classes,
    and under `if`, `try` and the like (`_restore` walks the same way)."""
    found = []
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(node)
            continue
        for name in _BLOCKS:
            children = getattr(node, name, None)
            if isinstance(children, list):
                pending.extend(children)
    return found


def _first_line(stmt: ast.stmt, lines: list[str]) -> int | None:
    """The first line of a body's first statement (its first decorator's,
    if it has any), or None when something before it shares that line."""
    decorators = getattr(stmt, "decorator_list", None)
    if decorators:
        line = decorators[0].lineno
        return line if lines[line - 1].lstrip().startswith("@") else None
    text = lines[stmt.lineno - 1].encode("utf-8", "surrogatepass")
    return None if text[: stmt.col_offset].strip() else stmt.lineno


def entries(outline: bytes) -> dict[int, Deferred]:
    """The left-out bodies of an outline, by their function's `def` line."""
    numbers = array("i")
    numbers.frombytes(outline)
    found = {}
    for start in range(0, len(numbers), _FIELDS):
        line, first, last, end_col, generator, raises = numbers[start : start + _FIELDS]
        found[line] = Deferred(
            line, first, last, end_col, bool(generator), bool(raises)
        )
    return found


# -- skeletons and bodies ------------------------------------------------------


def skeleton(source: str, deferred: dict[int, Deferred]) -> str:
    """`source` with every left-out body blanked to `...`, on the same lines."""
    lines = source.split("\n")
    for body in deferred.values():
        first = lines[body.first - 1]
        lines[body.first - 1] = first[: len(first) - len(first.lstrip())] + "..."
        for number in range(body.first, body.last):
            lines[number] = ""
    return "\n".join(lines)


class LazyBody(list[ast.stmt]):
    """A left-out function body: it holds `...` until first read, then the
    parsed statements (and the node's `body` is the plain list from then).

    Reading it by iteration, length, index, membership or truth loads it;
    C code that reads a list's storage directly (concatenation, which
    nothing here applies to a body) would see the placeholder."""

    __slots__ = ("_load",)

    def __init__(self, placeholder: list[ast.stmt], load: object) -> None:
        super().__init__(placeholder)
        self._load = load

    def forget(self) -> None:
        """Never read the body (its module is disposed of)."""
        self._load = None

    def loaded(self) -> list[ast.stmt]:
        load = self._load
        if load is not None:
            self._load = None
            real = load()  # type: ignore[operator]
            list.__setitem__(self, slice(None), real)
        return list(list.__iter__(self))

    @property
    def pending(self) -> bool:
        return self._load is not None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.loaded())

    def __len__(self) -> int:
        return len(self.loaded())

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self.loaded()[index]

    def __bool__(self) -> bool:
        return bool(self.loaded())

    def __reversed__(self):  # type: ignore[no-untyped-def]
        return reversed(self.loaded())

    def __contains__(self, item: object) -> bool:
        return item in self.loaded()


def is_pending(body: list[ast.stmt]) -> bool:
    """Whether `body` is a left-out body not read yet."""
    return isinstance(body, LazyBody) and body.pending


def parse_body(source: list[str], body: Deferred, name: str) -> list[ast.stmt]:
    """The statements of a left-out body, parsed from the function's own
    lines of `source` (the module's lines) with their line numbers and
    columns unchanged."""
    from asynclint.index import parse

    lines = source[body.def_line - 1 : body.last]
    # A form feed sets the column back to 0: `\fdef f():` is at top level.
    first = lines[0]
    indented = bool(first[: len(first) - len(first.lstrip())].rpartition("\f")[2])
    # Blank lines put the `def` on its own line number; an indented one
    # (a method) is given a block to sit in.
    padding = (
        "\n" * (body.def_line - 2) + "if 1:\n"
        if indented
        else "\n" * (body.def_line - 1)
    )
    # The blank line ends a last line that continues with a backslash
    # (onto a blank or comment line, which the body's span leaves out).
    tree = parse(padding + "\n".join(lines) + "\n\n", "<body>")
    node = tree.body[0]
    if indented:
        assert isinstance(node, ast.If)
        node = node.body[0]
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
        node.name != name or node.lineno != body.def_line
    ):
        raise AssertionError(
            f"outline out of step with the source at line {body.def_line}"
        )
    return node.body


# The fields holding statements (or `except` and `case` clauses).
_BLOCKS = ("body", "handlers", "orelse", "finalbody", "cases")


def restore_ends(tree: ast.Module, deferred: dict[int, Deferred]) -> None:
    """Give the skeleton's nodes the end positions they have in the whole
    source: a blanked function ends where its body did, and so does every
    statement (or `except` clause) that holds it."""
    for stmt in tree.body:
        _restore(stmt, deferred)


def _restore(node: ast.AST, deferred: dict[int, Deferred]) -> tuple[int, int]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = deferred.get(node.lineno)
        if body is not None:
            node.end_lineno, node.end_col_offset = body.last, body.end_col
        # A body left whole holds no left-out function.
        return node.end_lineno or 0, node.end_col_offset or 0
    end = (getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0)
    for name in _BLOCKS:
        children = getattr(node, name, None)
        if not isinstance(children, list):
            continue
        for child in children:
            last = _restore(child, deferred)
            if last > end:
                end = last
                # A `case` has no position of its own.
                if isinstance(node, (ast.stmt, ast.excepthandler)):
                    node.end_lineno, node.end_col_offset = last
    return end


# -- the store ------------------------------------------------------------------

_OUTLINES = "outlines.pickle"
# Fewer new outlines than this are not worth rewriting the store for: a
# pre-commit run adds those of the files it checks.
_UNSAVED = 32
_directory: Path | None = None
_loaded: dict[str, tuple[bytes, bytes]] | None = None
_added: dict[str, tuple[bytes, bytes]] = {}


def keep_in(directory: Path | None) -> None:
    """Keep outlines in `directory` (None: do not keep or use any)."""
    global _directory, _loaded
    _directory = directory
    _loaded = None
    _added.clear()


def keeping() -> bool:
    return _directory is not None


def lookup(path: Path, data: bytes) -> dict[int, Deferred] | None:
    """The left-out bodies for the file at `path` holding `data`, if an
    earlier run kept its outline and any body may be left out."""
    global _loaded
    if _directory is None:
        return None
    if _loaded is None:
        _loaded = kept_tables.read(_directory / _OUTLINES)
    kept = _loaded.get(str(path))
    if not (
        isinstance(kept, tuple)
        and len(kept) == 2
        and isinstance(kept[1], bytes)
        and kept[1]
        and len(kept[1]) % (_FIELDS * array("i").itemsize) == 0
        and kept[0] == digest(data)
    ):
        return None  # none kept, of other bytes, or broken: a miss
    return entries(kept[1])


def add(path: Path, data: bytes, outline: bytes) -> None:
    if _directory is not None:
        _added[str(path)] = (digest(data), outline)


def take_added() -> dict[str, tuple[bytes, bytes]]:
    """The outlines made since the last call (a worker hands them to the
    main process, which saves them all once)."""
    added = dict(_added)
    _added.clear()
    return added


def save(outlines: dict[str, tuple[bytes, bytes]]) -> None:
    """Merge `outlines` into the store when there are enough to be worth
    it, or there is no store yet."""
    if _directory is None or not outlines:
        return
    path = _directory / _OUTLINES
    if len(outlines) >= _UNSAVED or not path.exists():
        kept_tables.merge(path, outlines)
