"""The command line: `asynclint [OPTIONS] [PATHS]...`, `asynclint rule CODE`, ..."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from asynclint import __version__, output
from asynclint.check_outcome import diff_of, fix_edits, shown, stdin_output, write_fixes
from asynclint.config import (
    CODE_PREFIX,
    ConfigError,
    Options,
    find_config,
    merge,
    read_config,
)
from asynclint.default_command import DefaultCheck
from asynclint.discovery import discover
from asynclint.engine import RunOptions, RunResult, run
from asynclint.file_check import decode_failure
from asynclint.index import decode_source
from asynclint.library import LibraryError
from asynclint.progress import Progress
from asynclint.rules import all_rules, rule_named
from asynclint.types import Applicability
from asynclint.writing import encode_like, write_atomic

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
logger = logging.getLogger("asynclint")


@click.group(cls=DefaultCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asynclint")
def main() -> None:
    """asynclint: find and fix async misuse in Python code.

    Without a command, asynclint checks PATHS (default: the current
    directory), taking the check options below.
    """


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        code.strip() for value in values for code in value.split(",") if code.strip()
    )


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show) unsafe fixes.")
@click.option(
    "--diff", is_flag=True, help="Print fixes as a unified diff; write nothing."
)
@click.option("--select", multiple=True, help="Codes or prefixes to check.")
@click.option("--extend-select", multiple=True, help="Codes to add to the selection.")
@click.option("--ignore", multiple=True, help="Codes or prefixes to skip.")
@click.option("--exclude", multiple=True, help="Patterns to exclude (replaces config).")
@click.option("--extend-exclude", multiple=True, help="Patterns to exclude as well.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read [tool.asynclint] from this file.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Keep the cache here.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Processes (0: all cores).",
)
@click.option(
    "--output-format",
    type=click.Choice(output.FORMATS),
    default="text",
    help="Report format.",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file.",
)
@click.option("--statistics", is_flag=True, help="Show counts per code.")
@click.option("--show-fixes", is_flag=True, help="List the fixes that were applied.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when violations remain.")
@click.option(
    "--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when fixes were applied."
)
@click.option(
    "--warn-unused-ignores",
    is_flag=True,
    help="Report suppressions that suppress nothing (ASL001).",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    help="Path of the file read from stdin.",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Debug logging; tracebacks on internal errors.",
)
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
def check_command(
    paths: tuple[Path, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    config_path: Path | None,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    show_fixes: bool,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    warn_unused_ignores: bool,
    stdin_filename: Path | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Check PATHS (default: the current directory)."""
    _configure_logging(verbose)
    sys.exit(
        _guarded(
            verbose,
            lambda: _check(
                paths,
                fix=fix,
                unsafe=unsafe_fixes,
                diff=diff,
                options=Options(
                    select=_codes(select) or None,
                    extend_select=_codes(extend_select),
                    ignore=_codes(ignore),
                    exclude=tuple(exclude) or None,
                    extend_exclude=tuple(extend_exclude),
                    config=config_path,
                ),
                no_cache=no_cache,
                cache_dir=cache_dir,
                jobs=jobs,
                output_format=output_format,
                output_file=output_file,
                statistics=statistics,
                show_fixes=show_fixes,
                exit_zero=exit_zero,
                exit_non_zero_on_fix=exit_non_zero_on_fix,
                warn_unused=warn_unused_ignores,
                stdin_filename=stdin_filename,
                quiet=quiet,
            ),
        )
    )


def _guarded(verbose: bool, work: Callable[[], int]) -> int:
    """Run a command's work; every error becomes one line and an exit code."""
    try:
        return work()
    except (ConfigError, LibraryError) as error:
        click.echo(f"asynclint: error: {error}", err=True)
        return EXIT_USAGE
    except click.UsageError as error:
        click.echo(f"asynclint: error: {error.format_message()}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the top-level error boundary
        if verbose:
            import traceback

            traceback.print_exc()
        click.echo(
            f"asynclint: internal error: {type(error).__name__}: {error} "
            "(run with -v for the traceback)",
            err=True,
        )
        return EXIT_INTERNAL


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="asynclint: %(levelname)s: %(message)s",
    )


def _check(
    paths: tuple[Path, ...],
    *,
    fix: bool,
    unsafe: bool,
    diff: bool,
    options: Options,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    show_fixes: bool,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    warn_unused: bool,
    stdin_filename: Path | None,
    quiet: bool,
) -> int:
    if diff and output_format != "text" and output_file is None:
        # stdout holds the diff; a report in another format needs a file.
        raise click.UsageError(
            f"--diff prints the diff on stdout; write the {output_format} report "
            "to a file with -o/--output-file"
        )
    _check_patterns("--exclude", options.exclude or ())
    _check_patterns("--extend-exclude", options.extend_exclude)
    stdin_mode = paths == (Path("-"),)
    cwd = Path.cwd()
    anchor = stdin_filename or (paths[0] if paths and not stdin_mode else cwd)
    config_file = options.config or find_config(anchor)
    file_config = read_config(config_file)
    for warning in file_config.warnings:
        click.echo(f"asynclint: warning: {warning}", err=True)
    root = config_file.parent if config_file else cwd
    settings = merge(root.absolute(), file_config, options)
    # Checked against the rules only when some code other than the family
    # prefix is named: a warm run never loads the rules otherwise.
    named = [c for c in (*settings.select, *settings.ignore) if c != CODE_PREFIX]
    known = [rule.code for rule in all_rules()] if named else []
    for code in named:
        if not any(k.startswith(code) for k in known):
            raise click.UsageError(f"unknown rule code or prefix: {code}")
    if stdin_mode:
        # Bytes, not text: the source may declare its own encoding or a BOM.
        stdin_data = sys.stdin.buffer.read()
        files: tuple[str, ...] = (str((stdin_filename or Path("stdin.py")).absolute()),)
        missing: tuple[Path, ...] = ()
        try:
            text = decode_source(stdin_data)
        except (SyntaxError, UnicodeDecodeError, LookupError) as error:
            if fix and not diff:
                # An editor replaces its buffer by stdout: give it back whole.
                sys.stdout.buffer.write(stdin_data)
            reason = decode_failure(stdin_data, error)
            shown = stdin_filename or Path("-")
            click.echo(f"{shown}: error: cannot decode: {reason}", err=True)
            return EXIT_VIOLATIONS
    else:
        text = None
        found = discover(
            paths or (Path("."),),
            settings.root,
            (*settings.exclude, *settings.extend_exclude),
            settings.respect_gitignore,
        )
        files, missing = found.names, found.missing
    for path in missing:
        click.echo(f"asynclint: error: {path}: no such file or directory", err=True)
    if missing and not files:
        return EXIT_USAGE
    if missing and not exit_zero:
        # A path that names nothing was not checked: never report success.
        exit_floor = EXIT_VIOLATIONS
    else:
        exit_floor = EXIT_CLEAN
    if not files and not quiet:
        click.echo("asynclint: warning: no Python files to check", err=True)
    if cache_dir is None and not no_cache and not stdin_mode:
        cache_dir = settings.root / ".asynclint_cache"
    run_options = RunOptions(
        fix=fix or diff,
        unsafe_fixes=unsafe,
        jobs=jobs,
        cache_dir=None if no_cache else cache_dir,
        warn_unused_ignores=warn_unused,
        stdin_text=text,
        write=fix and not diff and not stdin_mode,
        progress=not quiet and Progress.wanted(),
    )
    result = run(files, settings, run_options)
    for warning in result.warnings:
        # Warnings start with the file's absolute path; show it as reports do.
        click.echo(
            f"asynclint: warning: {warning.removeprefix(f'{cwd}{os.sep}')}", err=True
        )
    if stdin_mode and fix and not diff:
        stdin_output(result, Path(files[0]), stdin_data, cwd)
        return _exit_code(result, True, exit_zero, exit_non_zero_on_fix, False)
    if diff:
        click.echo(diff_of(result, cwd), nl=False)
    elif fix:
        write_fixes(result, settings, warn_unused)
    remaining = result.violations
    if diff:
        # A config edit the diff shows is still found by the engine's
        # recheck, which reads the config on disk: --fix would not leave it.
        would_fix = set(result.fixed)
        remaining = [v for v in result.violations if v not in would_fix]
    edits = {}
    if output_format in ("json", "sarif"):
        edits = fix_edits(result, text)
        # A fix the fixer cannot make where it stands is no fix to offer.
        remaining = [
            v if v.fix is None or edits.get(v) else replace(v, fix=None)
            for v in remaining
        ]
    fixed = result.fixed if fix or diff else []
    report = output.Report(
        edits=edits,
        violations=remaining,
        errors=result.errors,
        fixed_count=len(fixed),
        cwd=cwd,
        show_fixes=show_fixes,
        color=_color(output_file),
        fixed=fixed,
        unsafe_fixes=unsafe,
        missing=missing,
        preview=diff,
        unwritten=result.unwritten,
    )
    rendered = output.render(report, output_format)
    if output_file is not None:
        output_file.write_text(rendered, encoding="utf-8")
    elif not diff:
        click.echo(rendered, nl=False)
    if statistics:
        click.echo(output.statistics(report), err=True, nl=False)
    if not quiet:
        click.echo(output.summary(report), err=True)
    status = _exit_code(result, fix and not diff, exit_zero, exit_non_zero_on_fix, diff)
    return max(status, exit_floor)


def _check_patterns(option: str, patterns: tuple[str, ...]) -> None:
    if not patterns:
        return  # pathspec is not imported for nothing
    from asynclint.ignore_patterns import problem

    for pattern in patterns:
        reason = problem(pattern)
        if reason is not None:
            raise click.UsageError(f"{option}: invalid pattern '{pattern}': {reason}")


def _exit_code(
    result: RunResult, wrote: bool, exit_zero: bool, on_fix: bool, diff: bool
) -> int:
    if on_fix and wrote and result.fixed:
        return EXIT_VIOLATIONS
    if diff and (result.new_texts or result.config_texts) and not exit_zero:
        return EXIT_VIOLATIONS
    remaining = result.violations or result.errors
    if remaining and not exit_zero:
        return EXIT_VIOLATIONS
    return EXIT_CLEAN


def _color(output_file: Path | None) -> bool:
    if output_file is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _encode(path: Path, text: str) -> bytes:
    """Encode fixed text the way the file at `path` is encoded."""
    return encode_like(path.read_bytes(), text)


@main.command("migrate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--now-sync",
    "now_sync",
    multiple=True,
    help="Qualified name that became a plain def.",
)
@click.option(
    "--now-async",
    "now_async",
    multiple=True,
    help="Qualified name that became async def.",
)
@click.option(
    "--now-async-cm",
    "now_async_cm",
    multiple=True,
    help="Qualified name that became an async context manager factory.",
)
@click.option(
    "--write", is_flag=True, help="Apply the changes (default: print a diff)."
)
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0)
@click.option("--verbose", "-v", is_flag=True, help="Tracebacks on internal errors.")
def migrate_command(
    paths: tuple[Path, ...],
    now_sync: tuple[str, ...],
    now_async: tuple[str, ...],
    now_async_cm: tuple[str, ...],
    write: bool,
    jobs: int,
    verbose: bool,
) -> None:
    """Rewrite every use of an API whose nature changed (diff by default)."""
    _configure_logging(verbose)
    chosen = [
        (direction, names)
        for direction, names in (
            ("now-sync", now_sync),
            ("now-async", now_async),
            ("now-async-cm", now_async_cm),
        )
        if names
    ]
    if len(chosen) != 1:
        click.echo(
            "asynclint: error: give exactly one of "
            "--now-sync, --now-async, --now-async-cm",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    direction, names = chosen[0]
    sys.exit(_guarded(verbose, lambda: _migrate(paths, direction, names, write, jobs)))


def _migrate(
    paths: tuple[Path, ...],
    direction: str,
    names: tuple[str, ...],
    write: bool,
    jobs: int,
) -> int:
    from asynclint.migrate import migrate, per_file_summary
    from asynclint.migration_names import is_migratable

    for name in names:
        if not is_migratable(name):
            raise click.UsageError(
                f"--{direction}: {name!r} is not a qualified name "
                "(package.module.function)"
            )
    cwd = Path.cwd()
    anchor = paths[0] if paths else cwd
    config_file = find_config(anchor)
    file_config = read_config(config_file)
    root = config_file.parent if config_file else cwd
    settings = merge(root.absolute(), file_config, Options())
    found = discover(
        paths or (Path("."),),
        settings.root,
        (*settings.exclude, *settings.extend_exclude),
        settings.respect_gitignore,
    )
    for path in found.missing:
        click.echo(f"asynclint: error: {path}: no such file or directory", err=True)
    if found.missing and not found.files:
        return EXIT_USAGE
    if not found.files:
        click.echo("asynclint: warning: no Python files to check", err=True)
    migration = migrate(found.files, settings, direction, names, jobs)
    if write:
        for path, (_, new_text) in sorted(migration.result.new_texts.items()):
            write_atomic(path, _encode(path, new_text))
    else:
        click.echo(diff_of(migration.result, cwd), nl=False)
    for name, why in migration.undefined:
        click.echo(
            f"asynclint: warning: --{direction} {name}: defined nowhere in the "
            f"checked project ({why})",
            err=True,
        )
    for violation in migration.unchanged:
        click.echo(
            f"{shown(violation.path, cwd)}:{violation.line}:{violation.column}: "
            f"{violation.code} not changed automatically: {violation.message}",
            err=True,
        )
    for name in migration.made_async:
        click.echo(f"made async (its callers were migrated too): {name}", err=True)
    for line in per_file_summary(migration, cwd):
        click.echo(line, err=True)
    total = output.migration_summary(
        len(migration.result.fixed),
        len(migration.result.new_texts),
        len(migration.unchanged),
        write,
    )
    click.echo(total, err=True)
    incomplete = migration.unchanged or migration.undefined or found.missing
    return EXIT_VIOLATIONS if incomplete else EXIT_CLEAN


@main.command("rules")
def rules_command() -> None:
    """List every rule: code, slug, fix and summary."""
    for rule in all_rules():
        mark = "fix" if rule.fixable else "   "
        click.echo(f"{rule.code}  {mark}  {rule.slug:<34} {rule.summary()}")


@main.command("rule")
@click.argument("name", metavar="CODE|SLUG")
def rule_command(name: str) -> None:
    """Explain one rule, named by its code (ASL201) or slug (async-cm-awaited)."""
    rule = rule_named(name)
    if rule is None:
        click.echo(f"asynclint: error: no rule {name}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"# {rule.code} {rule.slug}\n")
    click.echo(rule.explanation())


__all__ = ["Applicability", "main"]
