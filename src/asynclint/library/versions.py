"""Whether a project's declared requirement rules out a library release.

A library fact may hold only from some release on (asynch's `connect` was a
coroutine function before 0.4.0 and returns a context manager since). A
project that pins the library below that release must not be judged by the
fact. Only the upper bounds a PEP 440 specifier sets are read (`==`, `===`,
`<`, `<=`, `~=`, `==X.*`); a requirement that states none, or one that
cannot be read, rules nothing out.
"""

from __future__ import annotations

import re

Version = tuple[int, ...]

_RELEASE = re.compile(r"^\s*v?(\d+(?:\.\d+)*)")
_CLAUSE = re.compile(r"^\s*(===|==|~=|!=|<=|>=|<|>)\s*(\S+?)\s*$")


def parse_version(text: str) -> Version | None:
    """The release numbers of a version (`0.4.0rc1` is `(0, 4, 0)`)."""
    found = _RELEASE.match(text)
    return tuple(int(part) for part in found.group(1).split(".")) if found else None


def rules_out_from(requirement: str, release: Version) -> bool:
    """Whether `requirement` (a PEP 508 string) admits no version at or
    after `release`."""
    specifiers = _specifiers(requirement)
    return any(_caps_below(clause, release) for clause in specifiers.split(","))


def _specifiers(requirement: str) -> str:
    """The version specifiers of a requirement: after its name and extras,
    before any environment marker or URL."""
    text = requirement.split(";", 1)[0]
    if "@" in text:
        return ""
    text = re.sub(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?", "", text)
    return text.strip().strip("()")


def _caps_below(clause: str, release: Version) -> bool:
    found = _CLAUSE.match(clause)
    if found is None:
        return False
    operator, text = found.groups()
    wildcard = text.endswith(".*")
    version = parse_version(text.removesuffix(".*"))
    if version is None:
        return False
    if operator in ("==", "===") and wildcard:
        return _padded(version, len(release))[: len(version)] < release[: len(version)]
    if operator in ("==", "==="):
        return _padded(version, len(release)) < release
    if operator == "<":
        return _padded(version, len(release)) <= release
    if operator == "<=":
        return _padded(version, len(release)) < release
    if operator == "~=" and len(version) > 1:
        # `~=0.2.5` admits up to, not including, 0.3.
        ceiling = (*version[:-2], version[-2] + 1)
        return _padded(ceiling, len(release)) <= release
    return False


def _padded(version: Version, length: int) -> Version:
    return version + (0,) * (length - len(version))
