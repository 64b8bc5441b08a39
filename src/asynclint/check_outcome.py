"""What a check run does with its result once the engine is done: write
the fixed files (reporting those that cannot be written as they stand),
show each fix's text edits (JSON, SARIF), the diff, or the fixed source
of a stdin buffer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from asynclint import output
from asynclint.config import Settings
from asynclint.engine import RunOptions, RunResult, run
from asynclint.types import FileError, Violation
from asynclint.writing import encode_like, write_fixed


def write_fixes(result: RunResult, settings: Settings, warn_unused: bool) -> None:
    """Write each fixed file; one that cannot be written becomes a file error,
    and its findings are reported as they stand in the file left unchanged."""
    unwritten: list[Path] = []
    for path, (original, new_text) in sorted(result.new_texts.items()):
        outcome = write_fixed(path, original, new_text, settings.root)
        if outcome.problem is not None:
            result.errors.append(FileError(path, outcome.problem))
            result.unwritten.append(path)
            unwritten.append(path)
    if unwritten:
        _report_unwritten(result, unwritten, settings, warn_unused)


def _report_unwritten(
    result: RunResult, paths: list[Path], settings: Settings, warn_unused: bool
) -> None:
    """Replace what the fixed texts of `paths` left with the findings of the
    files themselves, checked again as they are on disk: the fixes were not
    applied, and positions must be the file's."""
    left = set(paths)
    for path in paths:
        del result.new_texts[path]
    result.fixed = [v for v in result.fixed if v.path not in left]
    again = run(
        [str(path) for path in paths],
        settings,
        RunOptions(jobs=1, warn_unused_ignores=warn_unused),
    )
    kept = [v for v in result.violations if v.path not in left]
    found = [v for v in again.violations if v.path in left]
    result.violations = sorted([*kept, *found], key=Violation.sort_key)
    result.errors.extend(e for e in again.errors if e.path in left)


def fix_edits(
    result: RunResult, stdin_text: str | None
) -> dict[Violation, list[output.TextEdit]]:
    """The text edits of each violation's fix, against the text its
    positions are in: a fixed text the run holds (`--fix`, `--diff`), the
    stdin buffer, or the file on disk."""
    from asynclint.edit_memo import EditMemo
    from asynclint.index import read_source
    from asynclint.textedits import edits_for

    texts: dict[Path, str] = {}
    for path in {v.path for v in result.violations if v.fix is not None}:
        if path in result.new_texts:
            texts[path] = result.new_texts[path][1]
        elif stdin_text is not None:
            texts[path] = stdin_text
        elif path.suffix == ".py":
            try:
                texts[path] = read_source(path)
            except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
                continue
    configs = {path: after for path, (_, after) in result.config_texts.items()}
    # Fixed or stdin texts are the run's own; only the files on disk are
    # worth remembering edits for (a warm run shows the same).
    keep = (
        result.cache_directory if not result.new_texts and stdin_text is None else None
    )
    memo = EditMemo(keep)
    found = edits_for(result.violations, texts, configs, memo)
    memo.save()
    return found


def stdin_output(result: RunResult, path: Path, data: bytes, cwd: Path) -> None:
    """The fixed source on stdout, in the input's encoding; findings on stderr."""
    new = result.new_texts.get(path)
    sys.stdout.flush()
    sys.stdout.buffer.write(encode_like(data, new[1]) if new else data)
    sys.stdout.buffer.flush()
    # stdout holds the source, so findings go to stderr as text lines.
    report = output.Report(
        violations=result.violations, errors=result.errors, cwd=cwd, color=False
    )
    click.echo(output.render(report, "text"), err=True, nl=False)


def diff_of(result: RunResult, cwd: Path) -> str:
    """The unified diff of every file the run's fixes change."""
    import difflib  # only --diff needs it

    chunks: list[str] = []
    changes = {**result.new_texts, **result.config_texts}
    for path in sorted(changes):
        before, after = changes[path]
        name = shown(path, cwd)
        # A file the fix would create (a new pytest.ini) has no old side.
        created = not before and not path.exists()
        chunks.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile="/dev/null" if created else f"a/{name}",
                tofile=f"b/{name}",
            )
        )
    return "".join(chunks)


def shown(path: Path, cwd: Path) -> str:
    """`path` as reports show it: relative to `cwd` where it is inside."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()
