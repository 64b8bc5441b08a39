"""A hypothesis strategy for small async Python programs, misuse included.

Each program defines sync and async functions and context manager factories,
then async (and some sync) functions whose bodies await, call, enter and
drop those, right and wrong, in nested blocks with comments everywhere a
comment can go. Every program is valid Python; the tests check that.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

_HEADER = [
    "import asyncio",
    "import time",
    "from contextlib import asynccontextmanager, contextmanager",
]


@dataclass(frozen=True, slots=True)
class Names:
    """How many of each kind of callee the program defines."""

    sync: int
    coro: int
    cm: int
    acm: int


def _callee(draw: st.DrawFn, kind: str, names: Names) -> str:
    count = {"sync": names.sync, "coro": names.coro, "cm": names.cm, "acm": names.acm}
    index = draw(st.integers(0, count[kind] - 1))
    return {"sync": "s", "coro": "a", "cm": "cm", "acm": "acm"}[kind] + str(index)


def _comment(draw: st.DrawFn) -> str:
    label = draw(st.integers(0, 999))
    return draw(
        st.sampled_from(["", "", f"  # c{label}", f"  # noqa: ASL102 n{label}"])
    )


def _simple(draw: st.DrawFn, names: Names, in_async: bool) -> str:
    """One simple statement, right or wrong."""
    s = _callee(draw, "sync", names)
    a = _callee(draw, "coro", names)
    acm = _callee(draw, "acm", names)
    choices = [
        f"{s}()",
        f"x = {s}()",
        f"{a}()",
        f"x = {a}()",
        f"print({s}(), {a}())",
        "pass",
        "x = 1",
        f"task = asyncio.ensure_future({a}())",
        f"{acm}()",
    ]
    if in_async:
        choices += [
            f"await {a}()",
            f"await {s}()",
            f"x = await {a}()",
            f"x = await {s}()",
            f"x = (await {a}())",
            f"await {acm}()",
            f"r = await {acm}()",
            "time.sleep(0.1)",
            "await asyncio.sleep(0)",
            f"print(await {a}(), {s}())",
            f"x = [await {a}() for _ in range(2)]",
            f"return await {a}()",
            f"y = (\n    {a}()  # inner{draw(st.integers(0, 99))}\n)",
            f"await (\n    {s}(\n        1,  # arg\n    )\n)",
        ]
    return draw(st.sampled_from(choices)) + _comment(draw)


def _block(
    draw: st.DrawFn, names: Names, in_async: bool, depth: int, indent: str
) -> list[str]:
    """A non-empty list of statement lines at `indent`."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            lines.extend(_compound(draw, names, in_async, depth, indent))
        else:
            for part in _simple(draw, names, in_async).split("\n"):
                lines.append(indent + part)
        if draw(st.integers(0, 5)) == 0:
            lines.append(indent + f"# between {draw(st.integers(0, 99))}")
        if draw(st.integers(0, 7)) == 0:
            lines.append("")
    return lines


def _compound(
    draw: st.DrawFn, names: Names, in_async: bool, depth: int, indent: str
) -> list[str]:
    cm = _callee(draw, "cm", names)
    acm = _callee(draw, "acm", names)
    heads = [
        "if x:",
        "for i in range(3):",
        "while False:",
        f"with {cm}() as v:",
        f"with {acm}() as v:",
        "try:",
    ]
    if in_async:
        heads += [
            f"async with {acm}() as v:",
            f"async with {cm}() as v:",
            f"async with {acm}() as v, {cm}() as w:",
            "async def inner():",
            "def inner_sync():",
        ]
    if in_async and draw(st.integers(0, 9)) == 0:
        return _tower(draw, names, indent)
    head = draw(st.sampled_from(heads))
    inner_async = in_async and head != "def inner_sync():"
    if head == "async def inner():":
        inner_async = True
    lines = [indent + head + _comment(draw)]
    lines += _block(draw, names, inner_async, depth + 1, indent + "    ")
    if head == "try:":
        lines.append(indent + "except Exception:  # handler")
        lines += _block(draw, names, in_async, depth + 1, indent + "    ")
    elif head.startswith("if") and draw(st.booleans()):
        lines.append(indent + "else:")
        lines += _block(draw, names, in_async, depth + 1, indent + "    ")
    return lines


def _tower(draw: st.DrawFn, names: Names, indent: str) -> list[str]:
    """Context managers nested deeper than one fix round reaches."""
    lines = []
    for level in range(draw(st.integers(2, 8))):
        factory = _callee(draw, draw(st.sampled_from(["cm", "acm"])), names)
        keyword = draw(st.sampled_from(["with", "async with"]))
        lines.append(f"{indent}{keyword} {factory}() as t{level}:" + _comment(draw))
        indent += "    "
    innermost = _simple(draw, names, True)
    return [*lines, indent + ("pass" if "\n" in innermost else innermost)]


@st.composite
def programs(draw: st.DrawFn) -> str:
    """The text of one generated module."""
    names = Names(*(draw(st.integers(1, 3)) for _ in range(4)))
    lines = list(_HEADER)
    if draw(st.booleans()):
        lines.insert(0, '"""Generated module."""')
    for i in range(names.sync):
        lines += ["", "", f"def s{i}(*args):", f"    return {i}"]
    for i in range(names.coro):
        lines += ["", "", f"async def a{i}():  # coroutine {i}", f"    return {i}"]
    for i in range(names.cm):
        lines += ["", "", "@contextmanager", f"def cm{i}():", f"    yield {i}"]
    for i in range(names.acm):
        lines += [
            "",
            "",
            "@asynccontextmanager",
            f"async def acm{i}():",
            f"    yield {i}",
        ]
    for k in range(draw(st.integers(1, 3))):
        is_async = draw(st.integers(0, 3)) > 0
        keyword = "async def" if is_async else "def"
        lines += ["", "", f"{keyword} main{k}(x=None):" + _comment(draw)]
        lines += _block(draw, names, is_async, 0, "    ")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(lines)
    if draw(st.integers(0, 4)) > 0:
        text += newline
    return text
