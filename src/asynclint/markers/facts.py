"""What one Python file says about pytest markers, as picklable values."""

from __future__ import annotations

from dataclasses import dataclass

from asynclint.types import CodeRange


@dataclass(frozen=True, slots=True)
class MarkerUse:
    """One evaluation of `pytest.mark.<name>`, however it is spelled."""

    name: str
    name_range: CodeRange
    expression_range: CodeRange
    renamable: bool = True


@dataclass(frozen=True, slots=True)
class Registration:
    """One marker registered by `config.addinivalue_line(key, line)`.

    `key` is the ini name given; only "markers" registers a marker, any
    other key close to it is recorded so it can be reported as malformed.
    """

    key: str
    line: str
    where: CodeRange

    @property
    def name(self) -> str:
        """The marker name pytest derives from the line."""
        return marker_name(self.line)


@dataclass(frozen=True, slots=True)
class AsyncDefinition:
    """An `async def` test function or fixture pytest would collect.

    `marks` are the names of the marks applied to it by its decorators,
    its class and its module's `pytestmark`; `marks_known` is False where
    more may come from what cannot be read (a base class, a `pytestmark`
    computed elsewhere, a class decorator).
    """

    name: str
    where: CodeRange
    is_fixture: bool
    parameters: tuple[str, ...]
    marks: tuple[str, ...] = ()
    marks_known: bool = True


@dataclass(frozen=True, slots=True)
class MarkerFacts:
    """Everything the marker rules need from one Python file.

    `imports` are the top-level packages of the absolute imports the module
    runs whenever it is imported: its own top-level `import` statements,
    not those under `if`, `try` or in a function. `marks_items` says it
    defines a hook that may mark collected tests (`pytest_collection_
    modifyitems` and the like); `autouse` that it defines an autouse
    fixture, which every test in its scope requests.
    """

    path_name: str
    imports_pytest: bool
    uses: tuple[MarkerUse, ...] = ()
    registrations: tuple[Registration, ...] = ()
    dynamic_registrations: bool = False
    pytest_plugins: tuple[str, ...] = ()
    async_definitions: tuple[AsyncDefinition, ...] = ()
    runs_coroutines: bool = False
    imports: tuple[str, ...] = ()
    marks_items: bool = False
    autouse: bool = False


def marker_name(line: str) -> str:
    """The name pytest registers for a `markers` line: before `:` and `(`."""
    return line.split(":", 1)[0].split("(", 1)[0].strip()
