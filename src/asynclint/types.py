"""Value objects shared by the engine, the rules, the fixer and the output."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class CodePosition:
    """A place in a source file: 1-based line, 0-based column in characters."""

    line: int
    column: int


@dataclass(frozen=True, slots=True, order=True)
class CodeRange:
    """A half-open span of source text between two positions."""

    start: CodePosition
    end: CodePosition


class Applicability(enum.Enum):
    """How far a fix can be trusted to keep the program's meaning."""

    SAFE = "safe"
    UNSAFE = "unsafe"


# Replacements: what a fix does, as data. The fixer (fixer.py) turns each kind
# into a tree edit; rules never touch trees or files themselves.


@dataclass(frozen=True, slots=True)
class RemoveAwait:
    """Drop the `await` of the await expression at `target`."""

    target: CodeRange


@dataclass(frozen=True, slots=True)
class AddAwait:
    """Put `await` in front of the call at `target`."""

    target: CodeRange


@dataclass(frozen=True, slots=True)
class MakeWithAsync:
    """Turn the `with` statement at `target` into `async with`."""

    target: CodeRange


@dataclass(frozen=True, slots=True)
class MakeWithSync:
    """Turn the `async with` statement at `target` into a plain `with`."""

    target: CodeRange


@dataclass(frozen=True, slots=True)
class MakeFunctionAsync:
    """Turn the `def` whose name is at `target` into `async def`."""

    target: CodeRange


@dataclass(frozen=True, slots=True)
class WrapInAsyncWith:
    """Turn `name = [await] factory(...)` at `target` into an `async with`.

    The statements after it in the same block become the body.
    """

    target: CodeRange


@dataclass(frozen=True, slots=True)
class OffloadToThread:
    """Replace the blocking call at `target` by `await asyncio.to_thread(...)`;
    `function` is how the module names `to_thread` (`aio.to_thread`)."""

    target: CodeRange
    function: str = "asyncio.to_thread"


@dataclass(frozen=True, slots=True)
class AwaitCoroutineInstead:
    """Replace the callee of the blocking call at `target` by the coroutine
    function `function` names, and await the call: `time.sleep(x)` ->
    `await asyncio.sleep(x)`."""

    target: CodeRange
    function: str


@dataclass(frozen=True, slots=True)
class CloseThenWaitClosed:
    """Turn `await w.close()` at `target` into `w.close()` and then
    `await w.wait_closed()`."""

    target: CodeRange


@dataclass(frozen=True, slots=True)
class RenameAttribute:
    """Rename the attribute of the attribute expression at `target`."""

    target: CodeRange
    new_name: str


@dataclass(frozen=True, slots=True)
class ConfigEdit:
    """An edit of a pytest config file, applied by the markers package.

    `action` is one of "add-markers" (values: "name" or "name: description"
    entries), "rename-section" (values: old header, new header) and
    "create-section".
    """

    path: Path
    action: str
    values: tuple[str, ...]


Replacement = (
    RemoveAwait
    | AddAwait
    | MakeWithAsync
    | MakeWithSync
    | MakeFunctionAsync
    | WrapInAsyncWith
    | OffloadToThread
    | AwaitCoroutineInstead
    | CloseThenWaitClosed
    | RenameAttribute
    | ConfigEdit
)


@dataclass(frozen=True, slots=True)
class Fix:
    """A proposed change that would resolve one violation."""

    applicability: Applicability
    description: str
    replacement: Replacement
    needs_import: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding: a rule's code at a place, with an optional fix."""

    path: Path
    range: CodeRange
    code: str
    message: str
    fix: Fix | None = None

    @property
    def line(self) -> int:
        return self.range.start.line

    @property
    def column(self) -> int:
        """1-based column, as shown to users."""
        return self.range.start.column + 1

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path.as_posix(), self.line, self.column, self.code)


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be checked, and why (shown as one line)."""

    path: Path
    message: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of checking one file: violations or an error."""

    path: Path
    violations: tuple[Violation, ...] = ()
    error: FileError | None = None
    fixed_text: str | None = None
    dependencies: tuple[str, ...] = field(default=())
