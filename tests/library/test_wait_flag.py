"""`wait_flag`, `parameters` and `defaults` in the data files: read, checked."""

from __future__ import annotations

import pytest

from asynclint.library import LibraryError, default_model, load_texts

HEAD = '[library]\nname = "x"\n[functions]\n'


def test_the_flag_and_the_positions_are_read() -> None:
    facts = 'wait_flag = "w", parameters = ["n", "w"]'
    text = HEAD + f'"a.stop" = {{ kind = "blocking", {facts} }}\n'

    spec = load_texts({"a.toml": text}).function("a.stop")

    assert spec is not None
    assert (spec.wait_flag, spec.parameters) == ("w", ("n", "w"))


def test_defaults_are_read_by_parameter() -> None:
    facts = 'parameters = ["quiet", "timeout"], defaults = { timeout = 0.0 }'
    text = HEAD + f'"a.poll" = {{ kind = "blocking", {facts} }}\n'

    spec = load_texts({"a.toml": text}).function("a.poll")

    assert spec is not None and spec.defaults == (("timeout", 0.0),)


def test_executor_subclasses_inherit_the_shutdown_flag() -> None:
    model = default_model()
    for executor in ("ThreadPoolExecutor", "ProcessPoolExecutor", "Executor"):
        spec = model.method(f"concurrent.futures.{executor}", "shutdown")
        assert spec is not None
        assert (spec.kind, spec.wait_flag, spec.parameters) == (
            "blocking",
            "wait",
            ("wait",),
        )


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ("wait_flag = { name = 'w' }", "a.stop.wait_flag: {'name': 'w'} is not a"),
        ('wait_flag = "not a name"', "wait_flag: 'not a name' is not a parameter"),
        ('parameters = "w"', "a.stop.parameters: expected a list of names"),
        ("parameters = [1]", "a.stop.parameters: 1 is not a parameter name"),
        ('parameters = ["w", "w"]', "a.stop.parameters: a name is repeated"),
        ('when = "w"', "a.stop.when: unknown key"),
        ("defaults = 0", "a.stop.defaults: expected a table"),
        ('defaults = { w = "0" }', "a.stop.defaults.w: expected a bool or number"),
        ("defaults = { w = 0 }", "a.stop.defaults.w: not among the parameters"),
    ],
)
def test_a_malformed_fact_names_file_and_key(facts: str, message: str) -> None:
    text = HEAD + f'"a.stop" = {{ kind = "blocking", {facts} }}\n'

    with pytest.raises(LibraryError) as error:
        load_texts({"bad.toml": text})

    assert message in str(error.value)
    assert str(error.value).startswith("bad.toml: ")
