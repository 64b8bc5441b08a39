"""The chain search: exact, cycle-safe, deep, and deaf to the order of asking."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from asynclint.call_chains import Chain, ChainSearch, Follow, Step

# A call graph: key -> its calls in order, each "sleep" (blocks), "pass"
# (does not) or the key of the function it runs.
Graph = dict[int, list[str | int]]


class _Search:
    """A search over `graph`, noting the keys it expands in `asked`."""

    def __init__(self, graph: Graph, asked: list[int] | None = None) -> None:
        self.search = ChainSearch()
        self.steps = _steps(graph, asked)

    def chain(self, key: int) -> Chain | None:
        return self.search.chain(key, self.steps)


def _steps(
    graph: Graph, asked: list[int] | None
) -> Callable[[Hashable], Iterator[Step]]:
    def steps(key: Hashable) -> Iterator[Step]:
        assert isinstance(key, int)
        if asked is not None:
            asked.append(key)
        for call in graph[key]:
            if call == "sleep":
                yield ("time.sleep",)
            elif call == "pass":
                yield None
            else:
                yield Follow(f"f{call}", call)

    return steps


def _blocks(graph: Graph, key: int) -> bool:
    """Whether a blocking call is reachable from `key`, by plain search."""
    seen, pending = {key}, [key]
    while pending:
        for call in graph[pending.pop()]:
            if call == "sleep":
                return True
            if isinstance(call, int) and call not in seen:
                seen.add(call)
                pending.append(call)
    return False


def _is_path(graph: Graph, key: int, chain: Chain) -> bool:
    """Whether `chain` is the names of a path from `key` to a blocking call."""
    names = [f"f{key}"]
    current = key
    for name in chain[:-1]:
        following = int(name[1:])
        if following not in graph[current] or name in names:
            return False
        names.append(name)
        current = following
    return chain[-1] == "time.sleep" and "sleep" in graph[current]


_GRAPHS = st.integers(min_value=1, max_value=8).flatmap(
    lambda size: st.fixed_dictionaries(
        {
            key: st.lists(
                st.one_of(
                    st.sampled_from(["sleep", "pass"]),
                    st.integers(min_value=0, max_value=size - 1),
                ),
                max_size=4,
            )
            for key in range(size)
        }
    )
)


@given(_GRAPHS, st.randoms(use_true_random=False))
def test_answers_are_exact_whatever_the_order_of_asking(
    graph: Graph, random: Random
) -> None:
    order = list(graph)
    random.shuffle(order)
    search = _Search(graph)

    for key in order:
        chain = search.chain(key)

        assert (chain is not None) == _blocks(graph, key), (graph, order, key)
        if chain is not None:
            assert _is_path(graph, key, chain), (graph, key, chain)


def test_a_cycle_read_half_way_is_searched_again() -> None:
    # 1 runs 2 first; 2 runs 1, then blocks nowhere else. Asked first, 1
    # meets itself through 2 while still open: 2's "no" was provisional.
    graph: Graph = {1: [2, "sleep"], 2: [1]}
    search = _Search(graph)

    assert search.chain(1) == ("time.sleep",)
    assert search.chain(2) == ("f1", "time.sleep")


def test_a_chain_of_a_hundred_thousand_keys_needs_no_recursion() -> None:
    length = 100_000
    graph: Graph = {key: [key + 1] for key in range(length)}
    graph[length] = ["sleep"]
    asked: list[int] = []
    search = _Search(graph, asked)

    chain = search.chain(0)

    assert chain is not None and len(chain) == length + 1
    assert search.chain(length // 2) is not None
    assert len(asked) == length + 1  # every answer below was remembered


def test_a_key_that_does_not_block_is_searched_once() -> None:
    graph: Graph = {0: [1, 2], 1: [2, 0, "pass"], 2: [1]}
    asked: list[int] = []
    search = _Search(graph, asked)

    assert [search.chain(key) for key in (0, 1, 2)] == [None, None, None]
    assert sorted(asked) == [0, 1, 2]
