"""`wait_flag` in the data files: read, inherited through bases, checked."""

from __future__ import annotations

import pytest

from asynclint.library import LibraryError, default_model, load_texts

HEAD = '[library]\nname = "x"\n[functions]\n'


def test_the_flag_is_read_with_its_position() -> None:
    flag = '{ name = "w", position = 1 }'
    text = HEAD + f'"a.stop" = {{ kind = "blocking", wait_flag = {flag} }}\n'

    spec = load_texts({"a.toml": text}).function("a.stop")

    assert spec is not None and spec.wait_flag == ("w", 1)


def test_executor_subclasses_inherit_the_shutdown_flag() -> None:
    model = default_model()
    for executor in ("ThreadPoolExecutor", "ProcessPoolExecutor", "Executor"):
        spec = model.method(f"concurrent.futures.{executor}", "shutdown")
        assert spec is not None
        assert (spec.kind, spec.wait_flag) == ("blocking", ("wait", 0))


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ('"w"', "functions.a.stop.wait_flag: expected a table"),
        ("{ position = 0 }", "wait_flag.name: expected a parameter name"),
        ('{ name = "not a name", position = 0 }', "wait_flag.name: expected"),
        ('{ name = "w" }', "wait_flag.position: expected an index >= 0"),
        ('{ name = "w", position = -1 }', "wait_flag.position: expected an index"),
        ('{ name = "w", position = true }', "wait_flag.position: expected an index"),
        ('{ name = "w", position = 0, when = false }', "wait_flag.when: unknown key"),
    ],
)
def test_a_malformed_flag_names_file_and_key(flag: str, message: str) -> None:
    text = HEAD + f'"a.stop" = {{ kind = "blocking", wait_flag = {flag} }}\n'

    with pytest.raises(LibraryError) as error:
        load_texts({"bad.toml": text})

    assert message in str(error.value)
    assert str(error.value).startswith("bad.toml: ")
