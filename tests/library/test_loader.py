"""The library model loader: aliases, MRO lookups, declarations, bad data."""

from __future__ import annotations

import pytest

from asynclint.library import LibraryError, load_texts, tuple_items

BASE = """
[library]
name = "demo"

[aliases]
"demo.Client" = "demo.client.Client"
"demo.connect" = "demo.client.connect"
"demo.legacy" = "demo.client"

[decorators]
"demo.cm" = "async-cm-factory"

[functions]
"demo.client.connect" = { kind = "coroutine", returns = "demo.Client" }
"demo.client.pair" = { kind = "coroutine", returns = "tuple[demo.Client, demo.client.Base]" }
"demo.client.offload" = { kind = "coroutine", offloads = 0 }

[classes."demo.client.Base"]
context = "none"

[classes."demo.client.Base".methods]
ping = "coroutine"
close = "sync"

[classes."demo.client.Mixin"]
context = "none"

[classes."demo.client.Mixin".methods]
close = "blocking"
extra = "sync"

[classes."demo.client.Client"]
bases = ["demo.client.Mixin", "demo.client.Base", "external.Thing"]
context = "async"
enters = "self"

[classes."demo.client.Client".methods]
query = { kind = "coroutine", returns = "None" }

[classes."demo.client.Client".attributes]
base = "demo.client.Base"
"""


def model(extra: str = "", declarations: dict[str, list[str]] | None = None):
    return load_texts({"demo.toml": BASE + extra}, declarations)


def test_aliases_reach_the_defining_name() -> None:
    library = model()
    assert library.canonical("demo.Client") == "demo.client.Client"
    assert library.canonical("demo.Client.query") == "demo.client.Client.query"
    assert library.canonical("demo.legacy.connect") == "demo.client.connect"
    assert library.canonical("other.thing") == "other.thing"
    spec = library.function("demo.connect")
    assert spec is not None and spec.kind == "coroutine"
    assert spec.returns == "demo.client.Client"


def test_enters_self_is_the_class_name() -> None:
    klass = model().class_("demo.Client")
    assert klass is not None
    assert klass.enters == "demo.client.Client"
    assert klass.bases == ("demo.client.Mixin", "demo.client.Base", "external.Thing")


def test_class_is_not_a_function() -> None:
    assert model().function("demo.Client") is None


def test_method_lookup_follows_the_mro() -> None:
    library = model()
    assert library.mro("demo.Client") == (
        "demo.client.Client",
        "demo.client.Mixin",
        "demo.client.Base",
    )
    close = library.method("demo.Client", "close")
    assert close is not None and close.kind == "blocking"
    ping = library.method("demo.Client", "ping")
    assert ping is not None and ping.kind == "coroutine"
    assert library.method("demo.Client", "missing") is None
    assert library.method("nowhere.Class", "close") is None


def test_function_falls_back_to_a_method_spelled_in_full() -> None:
    spec = model().function("demo.Client.ping")
    assert spec is not None and spec.qualname == "demo.client.Base.ping"


def test_attribute_and_decorator() -> None:
    library = model()
    assert library.attribute("demo.Client", "base") == "demo.client.Base"
    assert library.attribute("demo.Client", "nope") is None
    assert library.decorator("demo.cm") == "async-cm-factory"
    assert library.decorator("demo.other") is None


def test_tuple_results_and_offloads() -> None:
    library = model()
    pair = library.function("demo.client.pair")
    assert pair is not None
    assert tuple_items(pair.returns) == ("demo.client.Client", "demo.client.Base")
    assert tuple_items("demo.client.Client") is None
    offload = library.function("demo.client.offload")
    assert offload is not None and offload.offloads == 0


def test_knows_module() -> None:
    library = model()
    assert library.knows_module("demo")
    assert library.knows_module("demo.client")
    assert library.knows_module("demo.legacy")
    assert not library.knows_module("dem")
    assert not library.knows_module("elsewhere")


def test_declarations_override_shipped_facts() -> None:
    library = model(
        declarations={
            "sync-functions": ["demo.connect", "demo.Client.query"],
            "blocking-calls": ["mine.io.fetch", "mine.Store.load"],
            "coroutine-functions": ["mine.Store.save"],
        }
    )
    connect = library.function("demo.connect")
    assert connect is not None and (connect.kind, connect.returns) == ("sync", None)
    query = library.method("demo.Client", "query")
    assert query is not None and query.kind == "sync"
    fetch = library.function("mine.io.fetch")
    assert fetch is not None and fetch.kind == "blocking"
    load = library.method("mine.Store", "load")
    assert load is not None and load.kind == "blocking"
    save = library.method("mine.Store", "save")
    assert save is not None and save.kind == "coroutine"
    # Declaring methods says nothing about the class itself.
    assert library.class_("mine.Store") is None


def test_declared_context_managers() -> None:
    library = model(
        declarations={
            "async-context-managers": ["mine.open_db", "mine.Pool"],
            "sync-context-managers": ["demo.Client", "mine.Pool.lease"],
        }
    )
    factory = library.function("mine.open_db")
    assert factory is not None and factory.kind == "sync"
    result = library.class_(factory.returns or "")
    assert result is not None and result.context == "async"
    pool = library.class_("mine.Pool")
    assert pool is not None and pool.context == "async"
    client = library.class_("demo.Client")
    assert client is not None and client.context == "sync"
    lease = library.method("mine.Pool", "lease")
    assert lease is not None
    leased = library.class_(lease.returns or "")
    assert leased is not None and leased.context == "sync"


@pytest.mark.parametrize(
    ("declarations", "message"),
    [
        ({"coroutine-function": ["a.b"]}, "coroutine-function: unknown key"),
        ({"sync-functions": "a.b"}, "sync-functions: expected a list"),
        ({"sync-functions": ["not a name"]}, "is not a qualified name"),
        ({"sync-functions": ["toplevel"]}, "is not a qualified name"),
        (
            {"sync-functions": ["a.b"], "blocking-calls": ["a.b"]},
            "'a.b' is also in sync-functions",
        ),
    ],
)
def test_bad_declarations(declarations: dict[str, object], message: str) -> None:
    with pytest.raises(LibraryError, match="tool.asynclint") as error:
        model(declarations=declarations)  # type: ignore[arg-type]
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[library\n", "bad.toml: malformed TOML"),
        ('[library]\nname = "x"\nflavour = 1\n', "bad.toml: library.flavour: unknown"),
        ('[libary]\nname = "x"\n', "bad.toml: libary: unknown key"),
        ("[functions]\n", "bad.toml: library: expected a table"),
        (
            '[library]\nname = "x"\n[functions]\n"a.f" = "coro"\n',
            "bad.toml: functions.a.f: 'coro' is not one of",
        ),
        (
            '[library]\nname = "x"\n[functions]\n"a.f" = { kind = "sync", ret = 1 }\n',
            "bad.toml: functions.a.f.ret: unknown key",
        ),
        (
            '[library]\nname = "x"\n[functions]\n"a.f" = { kind = "sync", offloads = -1 }\n',
            "functions.a.f.offloads",
        ),
        (
            '[library]\nname = "x"\n[functions]\n"a.f" = { kind = "sync", returns = "x y" }\n',
            "functions.a.f.returns",
        ),
        (
            '[library]\nname = "x"\n[functions]\n"a.f" = { kind = "sync", iterating_blocks = 1 }\n',
            "functions.a.f.iterating_blocks: expected true or false",
        ),
        (
            '[library]\nname = "x"\n[classes."a.C"]\nawaitable = true\n',
            "bad.toml: classes.a.C.context: missing",
        ),
        (
            '[library]\nname = "x"\n[classes."a.C"]\ncontext = "maybe"\n',
            "classes.a.C.context: 'maybe' is not one of",
        ),
        (
            '[library]\nname = "x"\n[classes."a.C"]\ncontext = "none"\nawaitable = 1\n',
            "classes.a.C.awaitable: expected true or false",
        ),
        (
            '[library]\nname = "x"\n[classes."a.C"]\ncontext = "none"\nasync = true\n',
            "classes.a.C.async: unknown key",
        ),
        (
            '[library]\nname = "x"\n[classes."a.C"]\ncontext = "none"\nwraps_coroutine = 1\n',
            "classes.a.C.wraps_coroutine: expected true or false",
        ),
        (
            '[library]\nname = "x"\n[classes."a.C".methods]\n"not-id" = "sync"\n',
            "classes.a.C",
        ),
        (
            '[library]\nname = "x"\n[decorators]\n"a.d" = "cm"\n',
            "decorators.a.d: 'cm' is not one of",
        ),
    ],
)
def test_malformed_files_name_file_and_key(text: str, message: str) -> None:
    with pytest.raises(LibraryError) as error:
        load_texts({"bad.toml": text})
    assert message in str(error.value)


def test_duplicate_definitions_across_files() -> None:
    other = '[library]\nname = "y"\n[functions]\n"demo.client.connect" = "sync"\n'
    with pytest.raises(LibraryError, match="other.toml: functions.demo.client.connect"):
        load_texts({"demo.toml": BASE, "other.toml": other})


def test_alias_cycle_and_aliased_definition() -> None:
    cycle = '[library]\nname = "x"\n[aliases]\n"a.b" = "a.c"\n"a.c" = "a.b"\n'
    with pytest.raises(LibraryError, match="cycle"):
        load_texts({"bad.toml": cycle})
    shadow = (
        '[library]\nname = "x"\n[aliases]\n"a.m" = "a.n"\n'
        '[functions]\n"a.m.f" = "sync"\n'
    )
    with pytest.raises(LibraryError, match="aliased name"):
        load_texts({"bad.toml": shadow})


def test_sync_call_returning_an_awaitable_is_refused() -> None:
    text = (
        '[library]\nname = "x"\n[functions]\n"a.f" = { kind = "sync", returns = "a.C" }\n'
        '[classes."a.C"]\ncontext = "none"\nawaitable = true\n'
    )
    with pytest.raises(LibraryError, match="use 'awaitable'"):
        load_texts({"bad.toml": text})


def test_inconsistent_bases_are_refused() -> None:
    text = """
[library]
name = "x"
[classes."a.A"]
context = "none"
[classes."a.B"]
bases = ["a.A"]
context = "none"
[classes."a.C"]
bases = ["a.A", "a.B"]
context = "none"
"""
    with pytest.raises(LibraryError, match="consistent order"):
        load_texts({"bad.toml": text})
