"""What a rewrite of a module changed, as stretches of its source text.

A fix rewrites a statement or two (and may add an import), and the fixer
leaves every other top-level statement as the very node it parsed. Taking
the text of only the statements that are new, against the source text of
the ones they replace, turns a rewrite into its changes without generating,
parsing or comparing the whole file again, which for a report of many fixes
in one long file cost a whole-file round trip per fix.

The source positions come from generating each top-level statement of the
parsed module once. Where those pieces do not rebuild the source exactly
(a file without a final line break, one whose lines end in bare carriage
returns), a rewrite is one stretch: the whole text, before and after.

Known gap (speed): the unit is a top-level statement, so a fix inside a
long class regenerates and compares the whole class. A JSON or SARIF report
of many fixes in one long test class pays that per fix: asyncssh's
tests/test_sftp.py (6,266 lines, 215 fixes in one class) takes 18.9 s with
`--output-format json` against 1.3 s for the text report. Descending into
the statements of a changed class needs each nested statement's offset in
the source, which LibCST's code generation (indentation comes from the
parent) does not give piece by piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import libcst as cst


@dataclass(frozen=True, slots=True)
class Stretch:
    """Source text `old`, starting at character offset `start`, became `new`."""

    start: int
    old: str
    new: str


class StatementLayout:
    """Where each top-level statement of a parsed module stands in its source."""

    def __init__(self, source: str, module: cst.Module) -> None:
        self.source = source
        self.module = module
        self._edges = _code(module, module.header), _code(module, module.footer)
        pieces = [module.code_for_node(statement) for statement in module.body]
        header, footer = self._edges
        self.exact = header + "".join(pieces) + footer == source
        self.starts = list(accumulate(map(len, pieces), initial=len(header)))
        self._index = {id(statement): i for i, statement in enumerate(module.body)}

    def stretches(self, after: cst.Module) -> list[Stretch]:
        """The stretches `after` (a rewrite of the module) changed, in order."""
        edges = _code(after, after.header), _code(after, after.footer)
        if not self.exact or edges != self._edges:
            return [Stretch(0, self.source, after.code)]
        old, new = self.module.body, after.body
        found = []
        at = position = 0
        while at < len(old) or position < len(new):
            if at < len(old) and position < len(new) and new[position] is old[at]:
                at, position = at + 1, position + 1
                continue
            end = position
            while end < len(new) and self._kept_from(new[end]) < at:
                end += 1
            until = self._kept_from(new[end]) if end < len(new) else len(old)
            text = "".join(after.code_for_node(s) for s in new[position:end])
            start, stop = self.starts[at], self.starts[until]
            found.append(Stretch(start, self.source[start:stop], text))
            at, position = until, end
        return found

    def _kept_from(self, statement: cst.CSTNode) -> int:
        """The index of `statement` among the parsed module's top-level
        statements, or -1 when it is new."""
        index = self._index.get(id(statement), -1)
        if index < 0 or self.module.body[index] is not statement:
            return -1
        return index


def _code(module: cst.Module, lines: Sequence[cst.EmptyLine]) -> str:
    return "".join(module.code_for_node(line) for line in lines)
