"""The top-level command group, whose bare invocation runs `check`.

`asynclint src/` means `asynclint check src/`, so the group's own help
shows both forms in its usage line and lists `check`'s options before its
own: a user who reads `asynclint --help` sees what `asynclint [PATHS]`
takes without knowing that a `check` command exists.
"""

from __future__ import annotations

import click

DEFAULT = "check"
_OWN_FLAGS = ("--help", "-h", "--version")


class DefaultCheck(click.Group):
    """A group whose bare invocation (`asynclint src/`) means `check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        bare = not args or args[0] not in self.commands
        if bare and not (args and args[0] in _OWN_FLAGS):
            args = [DEFAULT, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATHS]...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="   or: ")

    def format_options(
        self, ctx: click.Context, formatter: click.HelpFormatter
    ) -> None:
        command = self.commands[DEFAULT]
        with click.Context(command, info_name=DEFAULT, parent=ctx) as inner:
            rows = [
                record
                for param in command.get_params(inner)
                if isinstance(param, click.Option)
                and "--help" not in param.opts
                and (record := param.get_help_record(inner)) is not None
            ]
        heading = f"Check options (asynclint [OPTIONS] [PATHS] is asynclint {DEFAULT})"
        with formatter.section(heading):
            formatter.write_dl(rows)
        super().format_options(ctx, formatter)
