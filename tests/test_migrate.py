"""`asynclint migrate`: each direction on a small monorepo, against golden diffs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "migrate"
CASES = [
    ("now-sync", "dbkit.pool.get_connection", 0),
    ("now-async", "dbkit.pool.warm_cache", 1),
    ("now-async-cm", "dbkit.pool.open_session", 0),
]


def _asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", *args]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    target = tmp_path / "monorepo"
    shutil.copytree(FIXTURES / "monorepo", target)
    return target


@pytest.mark.parametrize(("direction", "name", "status"), CASES)
def test_diff_matches_golden(
    monorepo: Path,
    direction: str,
    name: str,
    status: int,
    request: pytest.FixtureRequest,
) -> None:
    result = _asynclint("migrate", f"--{direction}", name, ".", cwd=monorepo)
    golden = FIXTURES / f"{direction}.diff"
    golden_err = FIXTURES / f"{direction}.stderr"
    if request.config.getoption("--update-golden", default=False):
        golden.write_text(result.stdout)
        golden_err.write_text(result.stderr)
    assert result.returncode == status, result.stderr
    assert result.stdout == golden.read_text()
    assert result.stderr == golden_err.read_text()
    assert not (monorepo / ".asynclint_cache").exists()


@pytest.mark.parametrize(("direction", "name", "status"), CASES)
def test_write_applies_the_diff_and_converges(
    monorepo: Path, direction: str, name: str, status: int
) -> None:
    before = (monorepo / "services/billing/billing/jobs.py").read_text()
    written = _asynclint(
        "migrate", f"--{direction}", name, "--write", ".", cwd=monorepo
    )
    assert written.returncode == status, written.stderr
    after = (monorepo / "services/billing/billing/jobs.py").read_text()
    assert after != before
    again = _asynclint("migrate", f"--{direction}", name, ".", cwd=monorepo)
    assert again.stdout == ""


def test_exactly_one_direction_is_required(monorepo: Path) -> None:
    result = _asynclint("migrate", ".", cwd=monorepo)
    assert result.returncode == 2
    assert "exactly one of" in result.stderr


def test_now_async_climbs_the_call_graph(monorepo: Path) -> None:
    result = _asynclint(
        "migrate", "--now-async", "dbkit.pool.warm_cache", ".", cwd=monorepo
    )
    assert "+async def refresh(keys):" in result.stdout
    assert "+    return await refresh(keys)" in result.stdout
    assert (
        "made async (its callers were migrated too): billing.jobs.refresh"
        in result.stderr
    )
    # A function used as a value stays sync and is listed for the user.
    assert "-def on_start" not in result.stdout
    assert "billing/hooks.py:5:5: ASL102 not changed automatically" in result.stderr


POOL = (
    "def warm_cache():\n"
    "    return 1\n"
    "\n\n"
    "async def get_connection():\n"
    "    return 1\n"
    "\n\n"
    "async def other():\n"
    "    return 2\n"
)
APP = (
    "from dbkit.pool import get_connection, other, warm_cache\n"
    "\n\n"
    "async def a():\n"
    "    warm_cache(); c = await get_connection(); other(); return c\n"
    "\n\n"
    "def ping():\n"
    "    other()\n"
)
RUNNERS = (
    "import asyncio\n"
    "\n"
    "from dbkit.pool import get_connection\n"
    "\n\n"
    "async def b():\n"
    "    task = asyncio.create_task(get_connection())\n"
    "    both = await asyncio.gather(get_connection(), asyncio.sleep(0))\n"
    "    one = await asyncio.wait_for(get_connection(), 1)\n"
    "    return task, both, one, await get_connection()\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "dbkit").mkdir()
    (tmp_path / "dbkit" / "__init__.py").write_text("")
    (tmp_path / "dbkit" / "pool.py").write_text(POOL)
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "runners.py").write_text(RUNNERS)
    return tmp_path


def test_now_async_changes_only_the_calls_of_the_migrated_function(
    project: Path,
) -> None:
    """`other()` is a dropped coroutine too, but no business of this migration;
    nor is the sync `ping`, which calls it, to be made async."""
    result = _asynclint(
        "migrate", "--now-async", "dbkit.pool.warm_cache", ".", cwd=project
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "--- a/app.py\n"
        "+++ b/app.py\n"
        "@@ -2,7 +2,7 @@\n"
        " \n"
        " \n"
        " async def a():\n"
        "-    warm_cache(); c = await get_connection(); other(); return c\n"
        "+    await warm_cache(); c = await get_connection(); other(); return c\n"
        " \n"
        " \n"
        " def ping():\n"
    )
    assert result.stderr == (
        "app.py: 1 changed, 0 left to do by hand\n"
        "1 site to change in 1 file; 0 left to do by hand.\n"
    )


def test_now_async_writes_nothing_else(project: Path) -> None:
    result = _asynclint(
        "migrate", "--now-async", "dbkit.pool.warm_cache", "--write", ".", cwd=project
    )

    assert result.returncode == 0, result.stderr
    assert (project / "app.py").read_text() == APP.replace(
        "    warm_cache();", "    await warm_cache();"
    )
    assert (project / "runners.py").read_text() == RUNNERS


def test_now_sync_lists_coroutines_handed_to_runners_with_positions(
    project: Path,
) -> None:
    result = _asynclint(
        "migrate", "--now-sync", "dbkit.pool.get_connection", ".", cwd=project
    )

    assert result.returncode == 1, result.stderr
    assert "-    return task, both, one, await get_connection()\n" in result.stdout
    assert "+    return task, both, one, get_connection()\n" in result.stdout
    assert (
        "+    warm_cache(); c = get_connection(); other(); return c\n" in result.stdout
    )
    assert "-    task" not in result.stdout and "-    both" not in result.stdout
    assert "-    one" not in result.stdout
    how = "which needs a coroutine; once it is sync, change this call by hand"
    assert result.stderr == (
        "runners.py:7:32: ASL101 not changed automatically: "
        f"`dbkit.pool.get_connection()` is handed to `asyncio.create_task`, {how}\n"
        "runners.py:8:33: ASL101 not changed automatically: "
        f"`dbkit.pool.get_connection()` is handed to `asyncio.gather`, {how}\n"
        "runners.py:9:34: ASL101 not changed automatically: "
        f"`dbkit.pool.get_connection()` is handed to `asyncio.wait_for`, {how}\n"
        "app.py: 1 changed, 0 left to do by hand\n"
        "runners.py: 1 changed, 3 left to do by hand\n"
        "2 sites to change in 2 files; 3 left to do by hand.\n"
    )


@pytest.fixture
def unpacked(tmp_path: Path) -> Path:
    """Calls handed to `asyncio.gather` one by one and unpacked from a
    list, a generator expression and a tuple (fixtures/migrate/unpacked)."""
    target = tmp_path / "unpacked"
    shutil.copytree(FIXTURES / "unpacked", target)
    return target


def test_now_sync_lists_calls_unpacked_into_a_runner(unpacked: Path) -> None:
    result = _asynclint("migrate", "--now-sync", "dbkit.pool.fetch", ".", cwd=unpacked)

    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "--- a/crawl.py\n"
        "+++ b/crawl.py\n"
        "@@ -7,7 +7,7 @@\n"
        "     one = await asyncio.gather(fetch(urls[0]))\n"
        "     many = await asyncio.gather(*[fetch(u) for u in urls])\n"
        "     lazy = await asyncio.gather(*(fetch(u) for u in urls))\n"
        "-    return one, many, lazy, await fetch(urls[-1])\n"
        "+    return one, many, lazy, fetch(urls[-1])\n"
        " \n"
        " \n"
        " async def warm(urls):\n"
    )
    how = (
        "`dbkit.pool.fetch()` is handed to `asyncio.gather`, which needs a "
        "coroutine; once it is sync, change this call by hand"
    )
    assert result.stderr == (
        f"crawl.py:7:32: ASL101 not changed automatically: {how}\n"
        f"crawl.py:8:35: ASL101 not changed automatically: {how}\n"
        f"crawl.py:9:35: ASL101 not changed automatically: {how}\n"
        "crawl.py: 1 changed, 3 left to do by hand\n"
        "1 site to change in 1 file; 3 left to do by hand.\n"
    )


def test_now_async_leaves_calls_unpacked_into_a_runner(unpacked: Path) -> None:
    """`gather(*[load(u) ...])` already hands gather the coroutines; an
    `await` there would pass it their results. The stored list is awaited."""
    result = _asynclint("migrate", "--now-async", "dbkit.pool.load", ".", cwd=unpacked)

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "--- a/crawl.py\n"
        "+++ b/crawl.py\n"
        "@@ -13,5 +13,5 @@\n"
        " async def warm(urls):\n"
        "     first = await asyncio.gather(load(urls[0]))\n"
        "     every = await asyncio.gather("
        "*[load(u) for u in urls], *(load(urls[0]),))\n"
        "-    listed = [load(u) for u in urls]\n"
        "+    listed = [await load(u) for u in urls]\n"
        "     return first, every, listed\n"
    )
    assert result.stderr == (
        "crawl.py: 1 changed, 0 left to do by hand\n"
        "1 site to change in 1 file; 0 left to do by hand.\n"
    )


@pytest.mark.parametrize(
    ("option", "name"),
    [
        ("--now-sync", "get_connection"),
        ("--now-async", "dbkit.pool."),
        ("--now-async-cm", "dbkit"),
    ],
)
def test_a_name_that_is_not_qualified_is_a_usage_error(
    project: Path, option: str, name: str
) -> None:
    result = _asynclint("migrate", option, name, ".", cwd=project)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"asynclint: error: {option}: {name!r} is not a qualified name "
        "(package.module.function)\n"
    )


def test_a_bad_declaration_in_the_config_is_one_line(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.asynclint]\nsync-functions = ["get_connection"]\n'
    )

    result = _asynclint(
        "migrate", "--now-async", "dbkit.pool.warm_cache", ".", cwd=project
    )

    assert result.returncode == 2
    assert result.stderr == (
        "asynclint: error: [tool.asynclint]: sync-functions: "
        "'get_connection' is not a qualified name\n"
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("dbkit.pool.nothere", "module dbkit.pool defines no nothere"),
        ("dbkit.pool", "dbkit.pool is a module"),
        ("dbkit.pool.Pool.get", "module dbkit.pool defines no Pool.get"),
        ("nothing.at.all", "the checked project has no module nothing"),
    ],
)
def test_a_name_defined_nowhere_is_no_success(
    project: Path, name: str, why: str
) -> None:
    result = _asynclint("migrate", "--now-sync", name, ".", cwd=project)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"asynclint: warning: --now-sync {name}: defined nowhere in the "
        f"checked project ({why})\n"
        "0 sites to change in 0 files; 0 left to do by hand.\n"
    )


def test_a_re_exported_spelling_points_at_the_definition(monorepo: Path) -> None:
    result = _asynclint(
        "migrate", "--now-sync", "dbkit.get_connection", ".", cwd=monorepo
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "asynclint: warning: --now-sync dbkit.get_connection: defined nowhere in "
        "the checked project (dbkit only re-exports it; name its definition, "
        "dbkit.pool.get_connection)"
    )


def test_a_definition_outside_the_checked_paths_is_warned_about(
    monorepo: Path,
) -> None:
    result = _asynclint(
        "migrate", "--now-sync", "dbkit.pool.get_connection", "services", cwd=monorepo
    )

    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "asynclint: warning: --now-sync dbkit.pool.get_connection: defined "
        "nowhere in the checked project (the checked project has no module dbkit)"
    )


def test_a_defined_method_is_found(tmp_path: Path) -> None:
    (tmp_path / "store.py").write_text(
        "class Pool:\n    async def get(self):\n        return 1\n\n\n"
        "async def use(pool: Pool):\n    return await pool.get()\n"
    )

    result = _asynclint("migrate", "--now-sync", "store.Pool.get", ".", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert "+    return pool.get()\n" in result.stdout


def test_a_missing_path_is_a_usage_error(project: Path) -> None:
    result = _asynclint(
        "migrate", "--now-sync", "dbkit.pool.get_connection", "nothere/", cwd=project
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "asynclint: error: nothere: no such file or directory\n"


def test_a_missing_path_beside_real_ones_is_no_success(project: Path) -> None:
    result = _asynclint(
        "migrate", "--now-sync", "dbkit.pool.get_connection", "nothere", ".",
        cwd=project,
    )  # fmt: skip

    assert result.returncode == 1
    assert result.stderr.startswith(
        "asynclint: error: nothere: no such file or directory\n"
    )
    assert "+    warm_cache(); c = get_connection(); other(); return c\n" in (
        result.stdout
    )


def test_no_python_files_is_said(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing to migrate\n")

    result = _asynclint("migrate", "--now-sync", "dbkit.pool.fetch", ".", cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "asynclint: warning: no Python files to check"
    )


SITES_DB = "def get_conn():\n    return 1\n"
SITES_USE = """\
from pkg.db import get_conn


def helper():
    return get_conn()


def handler(conn=get_conn()):
    return conn


def via_lambda():
    f = lambda: get_conn()
    return f()


def in_genexp(n):
    return sum(get_conn() for _ in range(n))


def outer():
    def inner(conn=get_conn()):
        return conn

    return inner


def main():
    return handler() + via_lambda() + in_genexp(2) + helper()
"""


def _sites_project(root: Path, use: str) -> Path:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "db.py").write_text(SITES_DB)
    (root / "pkg" / "use.py").write_text(use)
    return root


def test_now_async_climbs_only_where_an_await_can_stand(tmp_path: Path) -> None:
    """A call in a top-level def's default argument runs once, at module
    level; one in a lambda or generator expression runs in a frame of its
    own. Making the function around them async puts no `await` there: they
    are listed, and the function stays as it is. A nested def's default
    runs in the enclosing function, which can become async."""
    project = _sites_project(tmp_path, SITES_USE)

    result = _asynclint("migrate", "--now-async", "pkg.db.get_conn", ".", cwd=project)

    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "--- a/pkg/use.py\n"
        "+++ b/pkg/use.py\n"
        "@@ -1,8 +1,8 @@\n"
        " from pkg.db import get_conn\n"
        " \n"
        " \n"
        "-def helper():\n"
        "-    return get_conn()\n"
        "+async def helper():\n"
        "+    return await get_conn()\n"
        " \n"
        " \n"
        " def handler(conn=get_conn()):\n"
        "@@ -18,12 +18,12 @@\n"
        "     return sum(get_conn() for _ in range(n))\n"
        " \n"
        " \n"
        "-def outer():\n"
        "-    def inner(conn=get_conn()):\n"
        "+async def outer():\n"
        "+    def inner(conn=await get_conn()):\n"
        "         return conn\n"
        " \n"
        "     return inner\n"
        " \n"
        " \n"
        "-def main():\n"
        "-    return handler() + via_lambda() + in_genexp(2) + helper()\n"
        "+async def main():\n"
        "+    return handler() + via_lambda() + in_genexp(2) + await helper()\n"
    )
    outside = (
        "no `await` can go where it is called (module level, a top-level def's "
        "defaults or decorators, a lambda, a class body or a generator "
        "expression); change it by hand"
    )
    not_changed = "ASL102 not changed automatically: coroutine from "
    awaited = "`pkg.db.get_conn()` is never awaited"
    assert result.stderr.splitlines() == [
        f"pkg/use.py:8:18: {not_changed}{awaited}: {outside}",
        f"pkg/use.py:13:17: {not_changed}{awaited}: {outside}",
        f"pkg/use.py:18:16: {not_changed}{awaited}: {outside}",
        "made async (its callers were migrated too): pkg.use.helper",
        "made async (its callers were migrated too): pkg.use.outer",
        "made async (its callers were migrated too): pkg.use.main",
        "pkg/use.py: 3 changed, 3 left to do by hand",
        "3 sites to change in 1 file; 3 left to do by hand.",
    ]


@pytest.mark.parametrize(
    "unrelated", ["", "\n\nasync def unrelated():\n    return 1\n"]
)
def test_now_async_climbs_whether_or_not_the_file_has_an_async_def(
    tmp_path: Path, unrelated: str
) -> None:
    """A file with no `async` or `await` in it is still checked for the
    migrated function's calls."""
    use = "from pkg.db import get_conn\n\n\ndef helper():\n    return get_conn()\n"
    project = _sites_project(tmp_path, use + unrelated)

    result = _asynclint("migrate", "--now-async", "pkg.db.get_conn", ".", cwd=project)

    assert result.returncode == 0, result.stderr
    assert "-def helper():\n-    return get_conn()\n" in result.stdout
    assert "+async def helper():\n+    return await get_conn()\n" in result.stdout
    assert result.stderr == (
        "made async (its callers were migrated too): pkg.use.helper\n"
        "pkg/use.py: 1 changed, 0 left to do by hand\n"
        "1 site to change in 1 file; 0 left to do by hand.\n"
    )
