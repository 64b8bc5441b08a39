"""Headline facts of each shipped library family, as the engine will ask."""

from __future__ import annotations

import builtins
import sys
from importlib import resources

import pytest

from asynclint.library import LibraryModel, default_model, tuple_items

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture(scope="module")
def library() -> LibraryModel:
    return default_model()


def kind(library: LibraryModel, owner: str, name: str | None = None) -> str:
    spec = library.function(owner) if name is None else library.method(owner, name)
    assert spec is not None, (owner, name)
    return spec.kind


def test_default_model_is_cached() -> None:
    assert default_model() is default_model()


@pytest.mark.parametrize(
    ("owner", "name", "expected"),
    [
        ("clickhouse_driver.Client", "execute", "blocking"),
        ("clickhouse_driver.Client", "execute_iter", "blocking"),
        ("clickhouse_driver.Client", "insert_dataframe", "blocking"),
        ("clickhouse_driver.Client", "disconnect", "blocking"),
        ("clickhouse_driver.dbapi.Cursor", "execute", "blocking"),
        ("clickhouse_connect.driver.Client", "query", "blocking"),
        ("clickhouse_connect.driver.Client", "command", "blocking"),
        ("clickhouse_connect.driver.AsyncClient", "command", "coroutine"),
        ("clickhouse_connect.driver.AsyncClient", "query_rows_stream", "coroutine"),
        ("clickhouse_connect.driver.AsyncClient", "set_client_setting", "sync"),
        ("clickhouse_connect.driver.AsyncClient", "get_client_setting", "sync"),
        ("clickhouse_connect.driver.AsyncClient", "min_version", "sync"),
        ("asynch.Connection", "connect", "coroutine"),
        ("asynch.Connection", "close", "coroutine"),
        ("asynch.Connection", "cursor", "sync"),
        ("asynch.Cursor", "execute", "coroutine"),
        ("asynch.DictCursor", "fetchall", "coroutine"),
        ("aiochclient.ChClient", "fetch", "coroutine"),
        ("aiochclient.ChClient", "iterate", "sync"),
    ],
)
def test_clickhouse(
    library: LibraryModel, owner: str, name: str, expected: str
) -> None:
    assert kind(library, owner, name) == expected


def test_clickhouse_connect_factories(library: LibraryModel) -> None:
    factory = library.function("clickhouse_connect.get_async_client")
    assert factory is not None and factory.kind == "coroutine"
    assert library.canonical("clickhouse_connect.get_async_client") == (
        "clickhouse_connect.driver.create_async_client"
    )
    client = library.class_(factory.returns or "")
    assert client is not None
    assert client.qualname == "clickhouse_connect.driver.asyncclient.AsyncClient"
    assert client.context in ("async", "both")
    stream = library.method(client.qualname, "query_rows_stream")
    assert stream is not None
    context = library.class_(stream.returns or "")
    assert context is not None and context.context == "both"
    assert context.async_iterable and not context.awaitable
    assert kind(library, "clickhouse_connect.get_client") == "blocking"
    assert kind(library, "clickhouse_driver.connect") == "sync"
    assert kind(library, "asynch.connect") == "sync"


@pytest.mark.parametrize(
    ("owner", "name", "expected"),
    [
        ("asyncio.sleep", None, "coroutine"),
        ("asyncio.wait_for", None, "coroutine"),
        ("asyncio.open_connection", None, "coroutine"),
        ("asyncio.create_subprocess_exec", None, "coroutine"),
        ("asyncio.gather", None, "awaitable"),
        ("asyncio.create_task", None, "awaitable"),
        ("asyncio.ensure_future", None, "awaitable"),
        ("asyncio.run_coroutine_threadsafe", None, "sync"),
        ("asyncio.timeout", None, "sync"),
        ("asyncio.tasks.sleep", None, "coroutine"),
        ("asyncio.StreamWriter", "close", "sync"),
        ("asyncio.StreamWriter", "write", "sync"),
        ("asyncio.StreamWriter", "drain", "coroutine"),
        ("asyncio.StreamWriter", "wait_closed", "coroutine"),
        ("asyncio.streams.StreamReader", "readexactly", "coroutine"),
        ("asyncio.Event", "wait", "coroutine"),
        ("asyncio.Event", "set", "sync"),
        ("asyncio.Lock", "acquire", "coroutine"),
        ("asyncio.Lock", "release", "sync"),
        ("asyncio.BoundedSemaphore", "acquire", "coroutine"),
        ("asyncio.Queue", "get", "coroutine"),
        ("asyncio.PriorityQueue", "put_nowait", "sync"),
        ("asyncio.Task", "result", "sync"),
        ("asyncio.TaskGroup", "create_task", "awaitable"),
        ("asyncio.subprocess.Process", "communicate", "coroutine"),
        ("asyncio.subprocess.Process", "kill", "sync"),
        ("asyncio.AbstractEventLoop", "create_future", "awaitable"),
        ("asyncio.AbstractEventLoop", "sock_recv", "coroutine"),
        ("asyncio.BaseEventLoop", "run_until_complete", "blocking"),
    ],
)
def test_asyncio(
    library: LibraryModel, owner: str, name: str | None, expected: str
) -> None:
    assert kind(library, owner, name) == expected


def test_asyncio_shapes(library: LibraryModel) -> None:
    opened = library.function("asyncio.open_connection")
    assert opened is not None
    assert tuple_items(opened.returns) == (
        "asyncio.StreamReader",
        "asyncio.StreamWriter",
    )
    to_thread = library.function("asyncio.to_thread")
    assert to_thread is not None and to_thread.offloads == 0
    executor = library.method("asyncio.AbstractEventLoop", "run_in_executor")
    assert executor is not None and executor.kind == "awaitable"
    assert executor.offloads == 1
    future = library.function("asyncio.run_coroutine_threadsafe")
    assert future is not None and future.returns == "concurrent.futures.Future"
    concurrent = library.class_("concurrent.futures.Future")
    assert concurrent is not None and not concurrent.awaitable
    task = library.class_("_asyncio.Task")
    assert task is not None and task.awaitable
    timeout = library.class_("asyncio.timeouts.Timeout")
    assert timeout is not None and timeout.context == "async"
    lock = library.class_("asyncio.Lock")
    assert lock is not None and lock.context == "async"
    process = "asyncio.subprocess.Process"
    assert library.attribute(process, "stdout") == "asyncio.StreamReader"
    assert library.class_("asyncio.Process") is None
    assert library.knows_module("asyncio.tasks")


def test_contextlib(library: LibraryModel) -> None:
    assert library.decorator("contextlib.asynccontextmanager") == "async-cm-factory"
    assert library.decorator("contextlib.contextmanager") == "sync-cm-factory"
    assert kind(library, "contextlib.AsyncExitStack", "enter_async_context") == (
        "coroutine"
    )
    assert kind(library, "contextlib.AsyncExitStack", "enter_context") == "sync"
    assert kind(library, "contextlib.ExitStack", "enter_context") == "sync"
    generated = library.class_("contextlib._AsyncGeneratorContextManager")
    assert generated is not None
    assert (generated.context, generated.awaitable) == ("async", False)
    nullcontext = library.class_("contextlib.nullcontext")
    assert nullcontext is not None and nullcontext.context == "both"


@pytest.mark.parametrize(
    ("owner", "name", "expected"),
    [
        ("time.sleep", None, "blocking"),
        ("subprocess.run", None, "blocking"),
        ("subprocess.check_output", None, "blocking"),
        ("builtins.open", None, "blocking"),
        ("io.open", None, "blocking"),
        ("socket.create_connection", None, "blocking"),
        ("urllib.request.urlopen", None, "blocking"),
        ("shutil.rmtree", None, "blocking"),
        ("subprocess.Popen", "communicate", "blocking"),
        ("subprocess.Popen", "poll", "sync"),
        ("socket.socket", "recv", "blocking"),
        ("socket.socket", "setblocking", "sync"),
        ("concurrent.futures.Future", "result", "blocking"),
        ("concurrent.futures.Future", "done", "sync"),
        ("concurrent.futures.ThreadPoolExecutor", "submit", "sync"),
        ("threading.Event", "wait", "blocking"),
        ("threading.Lock", "acquire", "blocking"),
        ("queue.Queue", "get", "blocking"),
        ("queue.LifoQueue", "put_nowait", "sync"),
    ],
)
def test_blocking_stdlib(
    library: LibraryModel, owner: str, name: str | None, expected: str
) -> None:
    assert kind(library, owner, name) == expected


def test_open_returns_a_sync_iterable_file(library: LibraryModel) -> None:
    spec = library.function("builtins.open")
    assert spec is not None
    file = library.class_(spec.returns or "")
    assert file is not None and file.context == "sync" and file.iterable
    lock = library.class_("threading.Lock")
    assert lock is not None and lock.context == "sync"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("read_text", "blocking"),
        ("read_bytes", "blocking"),
        ("write_text", "blocking"),
        ("write_bytes", "blocking"),
        ("open", "blocking"),
        ("iterdir", "sync"),
        ("glob", "sync"),
        ("exists", "sync"),
        ("mkdir", "sync"),
        ("with_suffix", "sync"),
    ],
)
def test_pathlib(library: LibraryModel, name: str, expected: str) -> None:
    assert kind(library, "pathlib.PosixPath", name) == expected


def test_lazy_iterators_block_when_iterated(library: LibraryModel) -> None:
    lazy = [
        library.method("pathlib.Path", name)
        for name in ("iterdir", "glob", "rglob", "walk")
    ]
    lazy.append(library.function("concurrent.futures.as_completed"))
    lazy.append(library.method("concurrent.futures.ThreadPoolExecutor", "map"))
    assert all(spec is not None and spec.iterating_blocks for spec in lazy)
    eager = library.method("pathlib.Path", "read_text")
    assert eager is not None and not eager.iterating_blocks


def test_pathlib_arithmetic_keeps_a_path(library: LibraryModel) -> None:
    for name in ("with_suffix", "joinpath", "resolve"):
        spec = library.method("pathlib.Path", name)
        assert spec is not None and spec.returns == "pathlib.Path"
    assert library.attribute("pathlib.Path", "parent") == "pathlib.Path"
    pure = library.method("pathlib.PurePosixPath", "with_suffix")
    assert pure is not None and pure.returns == "pathlib.PurePath"
    assert library.method("pathlib.PurePath", "read_text") is None
    opened = library.method("pathlib.Path", "open")
    assert opened is not None and opened.returns == "io.IOBase"


def test_redis_twins(library: LibraryModel) -> None:
    assert kind(library, "redis.Redis", "get") == "blocking"
    assert kind(library, "redis.client.Redis", "hgetall") == "blocking"
    assert kind(library, "redis.asyncio.Redis", "get") == "coroutine"
    assert kind(library, "redis.asyncio.client.Redis", "publish") == "coroutine"
    assert kind(library, "redis.asyncio.Redis", "aclose") == "coroutine"
    assert kind(library, "redis.asyncio.Redis", "scan_iter") == "sync"
    assert kind(library, "redis.asyncio.from_url") == "awaitable"
    assert library.canonical("redis.asyncio.Redis") == "redis.asyncio.client.Redis"
    sync_client = library.class_("redis.Redis")
    async_client = library.class_("redis.asyncio.Redis")
    assert sync_client is not None and sync_client.context == "sync"
    assert async_client is not None and async_client.context == "async"


def test_http_clients(library: LibraryModel) -> None:
    assert kind(library, "requests.get") == "blocking"
    assert kind(library, "requests.Session", "post") == "blocking"
    assert kind(library, "httpx.get") == "blocking"
    assert kind(library, "httpx.Client", "get") == "blocking"
    assert kind(library, "httpx.AsyncClient", "get") == "coroutine"
    assert kind(library, "httpx.AsyncClient", "aclose") == "coroutine"
    stream = library.method("httpx.AsyncClient", "stream")
    assert stream is not None and stream.kind == "sync"
    streamed = library.class_(stream.returns or "")
    assert streamed is not None and streamed.context == "async"
    sync_client = library.class_("httpx.Client")
    async_client = library.class_("httpx.AsyncClient")
    assert sync_client is not None and sync_client.context == "sync"
    assert async_client is not None and async_client.context == "async"


def test_aiohttp(library: LibraryModel) -> None:
    session = library.class_("aiohttp.ClientSession")
    assert session is not None and session.context == "async"
    get = library.method("aiohttp.ClientSession", "get")
    assert get is not None and get.kind == "awaitable"
    manager = library.class_(get.returns or "")
    assert manager is not None
    assert manager.awaitable and manager.context == "async"
    assert manager.awaits == "aiohttp.client_reqrep.ClientResponse"
    assert manager.wraps_coroutine  # a dropped one never sends the request
    websocket = library.method("aiohttp.ClientSession", "ws_connect")
    assert websocket is not None
    connecting = library.class_(websocket.returns or "")
    assert connecting is not None and connecting.wraps_coroutine
    assert kind(library, "aiohttp.ClientResponse", "json") == "coroutine"
    assert kind(library, "aiohttp.ClientResponse", "text") == "coroutine"
    assert kind(library, "aiohttp.ClientResponse", "release") == "awaitable"
    request = library.function("aiohttp.request")
    assert request is not None
    only_cm = library.class_(request.returns or "")
    assert only_cm is not None and not only_cm.awaitable


def test_postgres(library: LibraryModel) -> None:
    assert kind(library, "psycopg2.connect") == "blocking"
    assert kind(library, "psycopg2.extensions.cursor", "execute") == "blocking"
    assert kind(library, "psycopg.connect") == "blocking"
    assert kind(library, "psycopg.Cursor", "execute") == "blocking"
    connect = library.method("psycopg.AsyncConnection", "connect")
    assert connect is not None and connect.kind == "coroutine"
    assert library.function("psycopg.AsyncConnection.connect") == connect
    cursor = library.method("psycopg.AsyncConnection", "cursor")
    assert cursor is not None and cursor.kind == "sync"
    assert cursor.returns == "psycopg.AsyncCursor"
    assert kind(library, "psycopg.AsyncCursor", "execute") == "coroutine"
    assert kind(library, "psycopg.AsyncCursor", "fetchall") == "coroutine"


def test_asyncpg(library: LibraryModel) -> None:
    assert kind(library, "asyncpg.connect") == "coroutine"
    create_pool = library.function("asyncpg.create_pool")
    assert create_pool is not None and create_pool.kind == "awaitable"
    pool = library.class_(create_pool.returns or "")
    assert pool is not None and pool.awaitable and pool.context == "async"
    acquire = library.method("asyncpg.Pool", "acquire")
    assert acquire is not None and acquire.kind == "awaitable"
    acquired = library.class_(acquire.returns or "")
    assert acquired is not None and acquired.awaitable and acquired.context == "async"
    assert kind(library, "asyncpg.Connection", "fetch") == "coroutine"
    assert kind(library, "asyncpg.Connection", "fetchrow") == "coroutine"
    transaction = library.method("asyncpg.Connection", "transaction")
    assert transaction is not None and transaction.kind == "sync"
    entered = library.class_(transaction.returns or "")
    assert entered is not None and entered.context == "async"
    assert not entered.awaitable


def test_sqlalchemy(library: LibraryModel) -> None:
    assert kind(library, "sqlalchemy.orm.Session", "execute") == "blocking"
    assert kind(library, "sqlalchemy.orm.Session", "commit") == "blocking"
    assert kind(library, "sqlalchemy.ext.asyncio.AsyncSession", "execute") == (
        "coroutine"
    )
    assert kind(library, "sqlalchemy.ext.asyncio.AsyncSession", "close") == (
        "coroutine"
    )
    assert kind(library, "sqlalchemy.ext.asyncio.AsyncSession", "add") == "sync"
    assert kind(library, "sqlalchemy.ext.asyncio.create_async_engine") == "sync"
    session = library.class_("sqlalchemy.ext.asyncio.AsyncSession")
    assert session is not None and session.context == "async"
    connect = library.method("sqlalchemy.ext.asyncio.AsyncEngine", "connect")
    assert connect is not None
    connection = library.class_(connect.returns or "")
    assert connection is not None and connection.context == "async"
    begin = library.method("sqlalchemy.ext.asyncio.AsyncEngine", "begin")
    assert begin is not None
    began = library.class_(begin.returns or "")
    assert began is not None and began.context == "async"


def test_anyio_and_aiofiles(library: LibraryModel) -> None:
    run_sync = library.function("anyio.to_thread.run_sync")
    assert run_sync is not None and run_sync.offloads == 0
    group = library.function("anyio.create_task_group")
    assert group is not None and group.kind == "sync"
    made = library.class_(group.returns or "")
    assert made is not None and made.context == "async"
    assert kind(library, "aiofiles.open") == "awaitable"


@pytest.mark.parametrize(
    "name", ["anyio.fail_after", "anyio.fail_at", "anyio.move_on_after"]
)
def test_anyio_timeouts_are_sync_managers(library: LibraryModel, name: str) -> None:
    spec = library.function(library.canonical(name))
    assert spec is not None and spec.kind == "sync"
    made = library.class_(spec.returns or "")
    assert made is not None and made.context == "sync"


def test_sync_only_managers(library: LibraryModel) -> None:
    for name in ("anyio.CancelScope", "tempfile.TemporaryDirectory"):
        spec = library.class_(library.canonical(name))
        assert spec is not None and spec.context == "sync", name


# Result classes the data names without describing them.
UNDESCRIBED = {
    "None",
    "clickhouse_connect.driver.query.QueryContext",
}


def _is_builtin(name: str) -> bool:
    """`builtins.int` and the like: inference knows them as plain values."""
    return name.startswith("builtins.") and hasattr(builtins, name[len("builtins.") :])


def test_every_named_result_class_is_described(library: LibraryModel) -> None:
    """A typo in a class name would silently drop facts; catch it here."""
    names: set[str] = set()
    for text in shipped_texts():
        data = tomllib.loads(text)
        specs = list(data.get("functions", {}).values())
        for klass in data.get("classes", {}).values():
            specs += list(klass.get("methods", {}).values())
            names.update(klass.get("attributes", {}).values())
            names.update(klass.get(key) for key in ("enters", "awaits"))
        for spec in specs:
            if isinstance(spec, dict) and "returns" in spec:
                returns = spec["returns"]
                names.update(tuple_items(returns) or (returns,))
    names -= {None, "self"}
    missing = {
        name
        for name in names
        if name not in UNDESCRIBED
        and not _is_builtin(name)
        and library.class_(name) is None
    }
    assert missing == set()


def shipped_texts() -> list[str]:
    package = resources.files("asynclint.library")
    return [
        entry.read_text(encoding="utf-8")
        for entry in package.iterdir()
        if entry.name.endswith(".toml")
    ]
