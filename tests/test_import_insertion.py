"""Where a fix's `import asyncio` goes, and the blank lines around it.

The import goes after a module docstring and `__future__` imports. It joins
an import block that stands there; before other code it starts a block of
its own, one blank line below what is above it and followed by the blank
lines isort and ruff leave after imports, with the code's comments kept on
the code.
"""

from __future__ import annotations

import pytest

from asynclint.fixer import apply_fixes
from asynclint.types import Applicability, CodePosition, CodeRange, Fix, OffloadToThread

CALL = "    slow()\n"
TAIL = "def slow():\n    pass\n\n\nasync def run():\n" + CALL
AFTER = (
    "def slow():\n    pass\n\n\nasync def run():\n    await asyncio.to_thread(slow)\n"
)


def _fixed(source: str) -> str:
    line = source.splitlines(keepends=True).index(CALL) + 1
    where = CodeRange(CodePosition(line, 4), CodePosition(line, 10))
    fix = Fix(Applicability.SAFE, "offload", OffloadToThread(where), "asyncio")
    outcome = apply_fixes(source, [fix])
    assert outcome.applied == (fix,)
    return outcome.text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(
            "from __future__ import annotations\n\n\n",
            "from __future__ import annotations\n\nimport asyncio\n\n\n",
            id="future-then-def",
        ),
        pytest.param(
            '"""Doc."""\n\n\n',
            '"""Doc."""\n\nimport asyncio\n\n\n',
            id="docstring-then-def",
        ),
        pytest.param(
            '"""Doc."""\nfrom __future__ import annotations\n\n\n',
            '"""Doc."""\nfrom __future__ import annotations\n\nimport asyncio\n\n\n',
            id="docstring-future-then-def",
        ),
        pytest.param("", "import asyncio\n\n\n", id="def-first"),
        pytest.param(
            "from __future__ import annotations\n\n# the slow one\n",
            "from __future__ import annotations\n\nimport asyncio\n\n\n"
            "# the slow one\n",
            id="comment-stays-on-its-def",
        ),
        pytest.param(
            "from __future__ import annotations\n\nimport os\n\n\n",
            "from __future__ import annotations\n\nimport asyncio\nimport os\n\n\n",
            id="joins-the-import-block",
        ),
        pytest.param(
            "from __future__ import annotations\nimport os\n\n\n",
            "from __future__ import annotations\nimport asyncio\nimport os\n\n\n",
            id="keeps-a-block-without-blank-line",
        ),
        pytest.param(
            "from __future__ import annotations\n\nX = 1\n\n\n",
            "from __future__ import annotations\n\nimport asyncio\n\nX = 1\n\n\n",
            id="one-blank-line-before-other-code",
        ),
        pytest.param(
            "from __future__ import annotations\n\n\n\n",
            "from __future__ import annotations\n\nimport asyncio\n\n\n\n",
            id="more-blank-lines-kept-below",
        ),
    ],
)
def test_import_layout(head: str, expected: str) -> None:
    assert _fixed(head + TAIL) == expected + AFTER
