"""asynclint never runs checked code, and writes only what it was asked to fix."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from .conftest import run_asynclint

DROPPED = "async def job():\n    pass\n\n\nasync def main():\n    job()\n"


def _canary(marker: Path, extra: str = "") -> str:
    """Module text that leaves `marker` behind if it is ever imported or run."""
    return (
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"
        "import os\nos.system('touch " + str(marker) + ".shell')\n"
        f"{extra}\n\nasync def fetch():\n    return 1\n\n\n"
        "async def main():\n    fetch()\n"
    )


def _project(root: Path, markers: Path) -> None:
    (root / "pkg").mkdir(parents=True)
    (root / "tests").mkdir()
    files = {
        "canary.py": _canary(markers / "canary"),
        "pkg/__init__.py": _canary(markers / "init"),
        "conftest.py": _canary(
            markers / "conftest",
            "def pytest_configure(config):\n    Path('/tmp/x').write_text('')",
        ),
        "tests/conftest.py": _canary(markers / "tests_conftest"),
        "setup.py": _canary(markers / "setup"),
        "sitecustomize.py": _canary(markers / "sitecustomize"),
        "user.py": (
            "import canary\nfrom pkg import fetch\nfrom canary import main as m\n\n\n"
            "async def go():\n    canary.fetch()\n    fetch()\n"
        ),
        "tests/test_a.py": "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n",
        "pyproject.toml": "[tool.pytest.ini_options]\nmarkers = []\n",
    }
    for name, text in files.items():
        (root / name).write_text(text)


@pytest.mark.parametrize(
    "args",
    [
        ("--no-cache", "."),
        (".",),
        ("--fix", "--unsafe-fixes", "--no-cache", "."),
        ("--diff", "--no-cache", "."),
        ("--output-format", "json", "--no-cache", "."),
        ("--jobs", "2", "--no-cache", "."),
    ],
    ids=["check", "cached", "fix", "diff", "json", "jobs"],
)
def test_checked_code_is_never_imported_or_run(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    project = tmp_path / "project"
    _project(project, markers)

    done = run_asynclint(project, *args)

    assert done.returncode in (0, 1), done.stderr
    assert b"user.py" in done.stdout or b"user.py" in done.stderr or "--fix" in args
    assert sorted(p.name for p in markers.iterdir()) == []
    assert not list(project.rglob("__pycache__")), "something was imported"


def test_stdin_mode_does_not_run_the_buffer(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = _canary(marker).encode()

    command = ("--fix", "-", "--stdin-filename", "conftest.py")
    done = run_asynclint(tmp_path, *command, stdin=source)

    assert done.returncode == 0, done.stderr
    assert done.stdout == source.replace(b"    fetch()", b"    await fetch()")
    assert not marker.exists() and not Path(f"{marker}.shell").exists()


def _snapshot(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
        elif path.is_symlink():
            found[path.relative_to(root).as_posix()] = "-> " + str(path.readlink())
    return found


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def _confined(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    (outside / "libdir").mkdir(parents=True)
    (outside / "lib.py").write_text(DROPPED)
    (outside / "libdir" / "mod.py").write_text(DROPPED)
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "src" / "a.py").write_text(DROPPED)
    (project / "src" / "clean.py").write_text("async def main():\n    pass\n")
    (project / "tests" / "test_a.py").write_text(
        "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n"
    )
    (project / "pyproject.toml").write_text("[tool.pytest.ini_options]\nmarkers = []\n")
    (project / "linked.py").symlink_to(outside / "lib.py")
    (project / "linkdir").symlink_to(outside / "libdir")
    return project, outside


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_fix_writes_only_the_fixed_files_and_the_pytest_config(
    cache: bool, tmp_path: Path
) -> None:
    project, _ = _confined(tmp_path)
    before = _snapshot(tmp_path)

    args = ["--fix"] if cache else ["--fix", "--no-cache"]
    done = run_asynclint(project, *args, ".")

    changed = _changed(before, _snapshot(tmp_path))
    if cache:
        # The cache directory is the one other place a run may write.
        changed = {c for c in changed if not c.startswith("project/.asynclint_cache/")}
    assert changed == {"project/src/a.py", "project/pyproject.toml"}, done.stderr
    assert (project / "src" / "a.py").read_text().count("await job()") == 1
    assert b"linked.py: error: is a symbolic link to a file outside the project" in (
        done.stdout
    )
    assert b"libdir" not in done.stdout, "a symlinked directory was walked"


def test_an_explicitly_named_link_out_of_the_project_is_checked_not_fixed(
    tmp_path: Path,
) -> None:
    project, outside = _confined(tmp_path)

    done = run_asynclint(project, "--fix", "--no-cache", "linked.py")

    assert (outside / "lib.py").read_text() == DROPPED
    assert (project / "linked.py").is_symlink()
    out = done.stdout.decode()
    assert (
        "linked.py: error: is a symbolic link to a file outside the project; not fixed"
        in out
    )
    assert done.returncode == 1


def test_a_link_inside_the_project_is_fixed_through(tmp_path: Path) -> None:
    (tmp_path / "real.py").write_text(DROPPED)
    (tmp_path / "alias.py").symlink_to("real.py")

    done = run_asynclint(tmp_path, "--fix", "--no-cache", "alias.py")

    assert done.returncode == 0, done.stdout
    assert (tmp_path / "alias.py").is_symlink()
    assert "await job()" in (tmp_path / "real.py").read_text()
