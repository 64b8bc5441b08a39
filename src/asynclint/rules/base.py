"""The base every rule builds on: identity, message template, violations."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from asynclint.types import CodeRange, Fix, Violation

if TYPE_CHECKING:
    from asynclint.context import FileContext


class Rule:
    """A rule: a stable code, a kebab-case slug and one message template.

    Per-file rules override `check`, which reads the facts of one file from a
    `FileContext` and yields violations. Project rules (the pytest marker
    family) are judged by the markers package, which builds their
    violations with `violation`; their `check` yields nothing.
    """

    code: ClassVar[str]
    slug: ClassVar[str]
    message: ClassVar[str]
    fixable: ClassVar[bool] = False

    @classmethod
    def summary(cls) -> str:
        """The first line of the rule's docstring."""
        return inspect.cleandoc(cls.__doc__ or "").splitlines()[0]

    @classmethod
    def explanation(cls) -> str:
        """The whole docstring, dedented."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def violation(
        cls,
        path: Path,
        where: CodeRange,
        fix: Fix | None = None,
        **fields: object,
    ) -> Violation:
        """Build a violation of this rule with its message filled in."""
        return Violation(path, where, cls.code, cls.message.format(**fields), fix)

    def check(self, context: FileContext) -> Iterable[Violation]:
        return ()
