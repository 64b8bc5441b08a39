"""README.md stays true to the code: rule table, rule reference, options, links.

The rule table and the rule reference are generated from the rules
themselves and kept between HTML comment markers; `pytest --update-golden`
rewrites both blocks from the current rules.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
from pathlib import Path

import click
import pytest

from asynclint import config
from asynclint.cli import main
from asynclint.output import links
from asynclint.rules import all_rules

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
EXAMPLE_FINDINGS = Path(__file__).parent / "fixtures" / "example" / "check.txt"

_HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$", re.MULTILINE)
_LINK = re.compile(r"\]\(#([^)]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def heading_anchor(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped."""
    text = re.sub(r"`|\*\*", "", text).strip().lower()
    kept = "".join(c for c in text if c not in string.punctuation or c in "-_")
    return kept.replace(" ", "-")


def rule_table() -> str:
    """The Markdown table of every rule, as `asynclint.rules` defines them."""
    lines = ["| code | slug | fix | summary |", "|---|---|---|---|"]
    for rule in all_rules():
        anchor = heading_anchor(f"{rule.code} {rule.slug}")
        fix = "yes" if rule.fixable else ""
        summary = rule.summary().replace("|", "\\|")
        lines.append(
            f"| [{rule.code}](#{anchor}) | `{rule.slug}` | {fix} | {summary} |"
        )
    return "\n".join(lines)


def rule_reference() -> str:
    """One section per rule: a `CODE slug` heading and the rule's docstring."""
    sections = [f"### {r.code} {r.slug}\n\n{r.explanation()}" for r in all_rules()]
    return "\n\n".join(sections)


def block(text: str, name: str) -> str:
    """What stands between `<!-- name:start -->` and `<!-- name:end -->`."""
    found = re.search(
        rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL
    )
    assert found, f"README.md has no <!-- {name}:start --> ... :end --> block"
    return found.group(1).strip("\n")


def replace_block(text: str, name: str, content: str) -> str:
    """`text` with the named block holding `content`."""
    pattern = rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)"
    return re.sub(pattern, lambda m: f"{m[1]}{content}\n{m[2]}", text, flags=re.DOTALL)


def prose(text: str) -> str:
    """The README without its fenced code blocks."""
    return _FENCE.sub("", text)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the generated README blocks."""
    return bool(request.config.getoption("--update-golden", default=False))


@pytest.fixture
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "generate"), [("rules", rule_table), ("reference", rule_reference)]
)
def test_generated_block_matches_the_rules(
    readme: str, update_golden: bool, name: str, generate: object
) -> None:
    assert callable(generate)
    expected = generate()
    if update_golden:
        README.write_text(replace_block(readme, name, expected), encoding="utf-8")
        return

    if block(readme, name) != expected:
        pytest.fail(
            f"the <!-- {name} --> block of README.md is stale; it should read:\n\n"
            f"{expected}\n\n(or run pytest tests/test_readme.py --update-golden)",
            pytrace=False,
        )


def test_every_rule_has_the_heading_its_link_points_to(readme: str) -> None:
    anchors = {heading_anchor(m[2]) for m in _HEADING.finditer(prose(readme))}

    for rule in all_rules():
        url = links.rule_url(rule.code)
        assert url is not None
        assert url.rpartition("#")[2] in anchors, rule.code


def test_internal_links_point_at_headings(readme: str) -> None:
    anchors = {heading_anchor(m[2]) for m in _HEADING.finditer(prose(readme))}

    targets = set(_LINK.findall(readme))

    assert targets, "README.md links to none of its own sections"
    assert targets <= anchors, sorted(targets - anchors)


def test_every_config_key_is_documented(readme: str) -> None:
    keys = (*config._LIST_KEYS, *config._TABLE_KEYS, *config._BOOL_KEYS)

    missing = [key for key in keys if f"| `{key}` |" not in readme]

    assert not missing


def test_every_check_option_is_documented(readme: str) -> None:
    check = main.commands["check"]
    options = [p for p in check.params if isinstance(p, click.Option)]

    names = [name for p in options for name in p.opts if name.startswith("--")]

    missing = [n for n in names if f"`{n}" not in readme and n != "--help"]
    assert not missing


def test_quick_start_is_two_commands_on_the_bundled_example(readme: str) -> None:
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    console = re.search(r"```console\n(.*?)```", section, re.DOTALL)
    assert console

    commands = console.group(1).strip().splitlines()

    assert len(commands) == 2
    assert "asynclint examples/service" in commands[0]
    assert commands[1].endswith("pytest")
    assert (REPO / "examples" / "service").is_dir()


def test_stated_number_of_example_findings_is_true(readme: str) -> None:
    stated = re.search(r"it prints (\d+)\s+findings", readme)
    assert stated

    findings = EXAMPLE_FINDINGS.read_text(encoding="utf-8").splitlines()

    assert int(stated.group(1)) == len(findings)


def test_performance_section_keeps_its_placeholder(readme: str) -> None:
    section = readme.split("## Performance", 1)[1].split("\n## ", 1)[0]

    assert "<!-- bench:table -->" in section or "|" in section


def test_configuration_example_is_accepted(readme: str, tmp_path: Path) -> None:
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert example
    (tmp_path / "pyproject.toml").write_text(example.group(1), encoding="utf-8")
    (tmp_path / "app.py").write_text("async def f() -> None:\n    pass\n", "utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_pre_commit_rev_is_a_commit_or_an_existing_tag(readme: str) -> None:
    section = readme.split("## pre-commit", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"^\s*rev: (\S+)", section, re.MULTILINE)
    assert found
    rev = found.group(1)

    placeholder = re.fullmatch(r"[A-Z_]+", rev) is not None
    sha = re.fullmatch(r"[0-9a-f]{40}", rev) is not None
    tags = subprocess.run(
        ["git", "tag", "--list"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()

    assert placeholder or sha or rev in tags, f"rev {rev} is no tag of this repo"
