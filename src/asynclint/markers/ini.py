"""A line-keeping reader for the INI dialect pytest reads (iniconfig's rules)."""

from __future__ import annotations

from dataclasses import dataclass

_COMMENT = "#;"


@dataclass(frozen=True, slots=True)
class IniValue:
    """One `key = value` entry: its first line and each line of the value."""

    key: str
    line: int
    parts: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        """The value as pytest sees it: the parts joined by newlines."""
        return "\n".join(part for _, part in self.parts)


@dataclass(frozen=True, slots=True)
class IniSection:
    """A `[name]` section with its entries, in file order."""

    name: str
    line: int
    values: tuple[IniValue, ...]

    def get(self, key: str) -> IniValue | None:
        """The entry named `key`, if present."""
        return next((v for v in self.values if v.key == key), None)


@dataclass(frozen=True, slots=True)
class IniDocument:
    """A parsed INI file, or the first error that makes pytest reject it."""

    sections: tuple[IniSection, ...]
    error: str | None = None
    error_line: int = 1

    def section(self, name: str) -> IniSection | None:
        """The section called `name`, if present."""
        return next((s for s in self.sections if s.name == name), None)


def parse_ini(text: str) -> IniDocument:
    """Sections and values with 1-based line numbers; errors become data."""
    sections: list[tuple[str, int, list[IniValue]]] = []
    current: list[tuple[int, str]] | None = None
    pending: tuple[str, int] | None = None

    def close_value() -> None:
        if pending is not None and current is not None and sections:
            key, line = pending
            sections[-1][2].append(IniValue(key, line, tuple(current)))

    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        line = "" if raw.lstrip()[:1] in tuple(_COMMENT) else raw.rstrip()
        if not line:
            continue
        if line[0] == "[":
            header = line
            for char in _COMMENT:
                header = header.split(char)[0].rstrip()
            if header.endswith("]"):
                close_value()
                pending, current = None, None
                name = header[1:-1]
                if not name:
                    return _error(sections, "empty section name", number)
                if any(s[0] == name for s in sections):
                    return _error(sections, f"duplicate section {name!r}", number)
                sections.append((name, number, []))
                continue
            if current is None:
                return _error(sections, "unexpected value continuation", number)
            current.append((number, line.strip()))
            continue
        if line[0].isspace():
            if current is None:
                return _error(sections, "unexpected value continuation", number)
            current.append((number, line.strip()))
            continue
        key, value = _split_entry(line)
        if key is None:
            return _error(sections, f"unexpected line: {line!r}", number)
        if not sections:
            return _error(sections, "no section header defined", number)
        close_value()
        if any(v.key == key for v in sections[-1][2]):
            return _error(sections, f"duplicate name {key!r}", number)
        pending, current = (key, number), ([(number, value)] if value else [])
    close_value()
    return IniDocument(tuple(IniSection(n, ln, tuple(v)) for n, ln, v in sections))


def _split_entry(line: str) -> tuple[str | None, str]:
    name, equals, value = line.partition("=")
    if not equals or ":" in name:
        name, colon, value = line.partition(":")
        if not colon:
            return None, ""
    return name.strip(), value.strip()


def _error(
    sections: list[tuple[str, int, list[IniValue]]], message: str, line: int
) -> IniDocument:
    done = tuple(IniSection(n, ln, tuple(v)) for n, ln, v in sections)
    return IniDocument(done, message, line)
