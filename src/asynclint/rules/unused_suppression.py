"""ASL001: a suppression comment that suppresses nothing."""

from __future__ import annotations

from asynclint.rules.base import Rule


class UnusedSuppression(Rule):
    """A `# noqa` or `# asynclint: ignore` comment suppresses no violation.

    Reported only with `--warn-unused-ignores`. A suppression goes stale when
    the code under it is fixed or the rule stops firing there; left in place
    it would hide the next real finding on that line. Only asynclint's own
    codes are judged: `# noqa: E501` belongs to another linter and is never
    reported, and a code whose rule was not selected in the run is not
    reported either, since that run cannot know whether it would fire. A
    code with asynclint's prefix that names no rule (`ASL2`, a prefix) is
    reported, because it can never suppress anything: codes are matched in
    full. A bare `# asynclint: ignore` is reported when every rule was
    selected; a bare `# noqa` only when asked for explicitly, since other
    linters read it too. Listing `ASL001` in a suppression on the same line
    silences this report.
    """

    code = "ASL001"
    slug = "unused-suppression"
    message = "Unused suppression of {codes}"
