"""Requirements read off a setup.py's syntax tree, which is never run."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.markers.dependencies import declared_distributions
from asynclint.markers.setup_py import setup_requirements

_IMPORT = "from setuptools import setup\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            _IMPORT + 'setup(install_requires=["a>=1"], tests_require=("b",))',
            ["a>=1", "b"],
        ),
        (
            _IMPORT + 'setup(extras_require={"test": ["c"], "docs": {"d"}})',
            ["c", "d"],
        ),
        (
            _IMPORT + 'test = ["e"]\ndev = test + ["f"]\ndev += ["g"]\n'
            'setup(extras_require={"dev": dev})',
            ["e", "f", "g"],
        ),
        (
            _IMPORT + 'tail = "; python_version < \'4\'"\nh = "h>=2" + tail\n'
            'setup(install_requires=[h, f"i{tail}"])',
            ["h>=2", "i"],
        ),
        (
            _IMPORT + 'kw = {"name": "x"}\nkw["extras_require"] = {"t": ["j"]}\n'
            "setup(**kw)",
            ["j"],
        ),
        (
            _IMPORT + 'setup(**dict(install_requires=["k"]), extras_require='
            'dict(test=list(set(["l"]))))',
            ["k", "l"],
        ),
        (_IMPORT + 'setup(install_requires="""\nm\n  n>=1\n""")', ["", "m", "  n>=1"]),
        (
            (
                "import setuptools as st\n"
                'if __name__ == "__main__":\n    st.setup(install_requires=["o"])'
            ),
            ["o"],
        ),
        (
            (
                "try:\n    from setuptools import setup\nexcept ImportError:\n"
                '    from distutils.core import setup\nsetup(install_requires=["p"])'
            ),
            ["p"],
        ),
        ("\ufeff" + _IMPORT + 'setup(install_requires=["q"])', ["q"]),
        (
            'x = ["r"]\nx = x + ["s"]\n' + _IMPORT + "setup(install_requires=x)",
            ["r", "s"],
        ),
    ],
)
def test_requirements_stated_in_the_text_are_read(
    source: str, expected: list[str]
) -> None:
    assert setup_requirements(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # Computed, or needed only to build.
        _IMPORT + 'setup(install_requires=open("r.txt").read().split())',
        _IMPORT + 'setup(install_requires=[n for n in ("a", "b")])',
        _IMPORT + 'setup(setup_requires=["pytest-runner"])',
        # A binding under `if` may not happen.
        _IMPORT + 'if FLAG:\n    deps = ["a"]\nsetup(install_requires=deps)',
        # Not setuptools' setup, or not called at the top level.
        'def setup(**kw):\n    return kw\nsetup(install_requires=["a"])',
        "from mytools import setup\nsetup(install_requires=['a'])",
        _IMPORT + 'def main():\n    setup(install_requires=["a"])',
        # Not Python.
        _IMPORT + "setup(install_requires=[",
        "",
    ],
)
def test_nothing_else_declares_anything(source: str) -> None:
    assert [r for r in setup_requirements(source) if r.strip()] == []


def test_a_setup_py_is_read_never_run(tmp_path: Path) -> None:
    canary = tmp_path / "ran"
    (tmp_path / "setup.py").write_text(
        f"open({str(canary)!r}, 'w').close()\n"
        + _IMPORT
        + 'setup(extras_require={"test": ["pytest-xdist", "Pytest_Sanic"]})\n',
        "utf-8",
    )

    declared = declared_distributions([tmp_path])

    assert declared == {"pytest-xdist", "pytest-sanic"}
    assert not canary.exists()
