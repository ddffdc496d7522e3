"""The ``lastword`` command. Exit codes: 0 ok, 2 usage error, 3 the function cannot be served."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ._config import ENVIRONMENT, Config
from ._errors import STARTUP_FAILURE, ConfigError, StartupError
from ._options import SERVE_OPTIONS, Option


class _LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs (cold start is a feature)."""

    lazy = {
        "call": "lastword._call:call",
        "check": "lastword._check.command:check",
        "deploy": "lastword._deploy.command:deploy",
    }

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # functions-framework's command has no subcommand: `lastword --target hello` (or
        # `lastword main.py ...`, or a bare `lastword` with FUNCTION_TARGET set) is
        # `lastword serve ...`, so a migrating user's habits and containers keep working.
        if (not args and os.environ.get("FUNCTION_TARGET")) or (
            args
            and args[0] not in ("-h", "--help", "--version")
            and (args[0].startswith("-") or args[0].endswith(".py"))
        ):
            args = ["serve", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, _, attr = self.lazy[name].partition(":")
            import importlib

            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lastword")
def main() -> None:
    """lastword: serve Python functions the way Cloud Run functions serve them, and see the work
    they leave running after their response.

    `lastword --target hello` is short for `lastword serve --target hello`, as with
    functions-framework."""


def _env_of(field: str) -> str:
    names = [var for var, name in ENVIRONMENT.items() if name == field]
    return " or ".join(reversed(names))


def _click_arguments(option: Option) -> dict[str, Any]:
    if option.kind == "int":
        return {"type": int}
    if option.kind == "float":
        return {"type": float}
    if option.kind == "choice":
        return {"type": click.Choice(option.choices, case_sensitive=False)}
    if option.kind == "switch":
        return {"default": None}
    if option.kind == "flag":
        return {"is_flag": True, "default": None}
    return {}


def serve_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of ``serve`` (each naming its environment variable) to ``command``: the
    same table (``_options``) for every command that describes how a function is served."""
    for option in reversed(SERVE_OPTIONS):
        env = _env_of(option.field)
        text = option.help
        shown = f"{text[:-1]}; env {env}." if env else text
        command = click.option(option.flag, option.field, help=shown, **_click_arguments(option))(
            command
        )
    return command


def build_config(source_file: str | None, flags: dict[str, Any]) -> Config:
    """The configuration from the environment and the command line (a usage error if wrong)."""
    if source_file is not None:
        if flags.get("source") is not None and flags["source"] != source_file:
            raise click.UsageError(f"two sources given: {source_file!r} and --source {flags['source']!r}")
        flags["source"] = source_file
    try:
        return Config.build(env=os.environ, flags=flags)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


ASGI_REFUSED = (
    "lastword needs no ASGI mode: it serves `async def` functions with a Starlette request on its "
    "event loop and `def` functions with a Flask request on its thread pool, on one ASGI server, "
    "so {fix} (a `def` function written for functions-framework's ASGI mode, which hands "
    "it a Starlette request, becomes `async def`)."
)


@main.command()
@click.argument("source_file", required=False, metavar="[SOURCE]")
@serve_options
@click.option("--dry-run", is_flag=True, help="Load the function and say what would be served, then exit.")
@click.option("--asgi", is_flag=True, hidden=True)
@click.version_option(package_name="lastword")
def serve(source_file: str | None, dry_run: bool, asgi: bool, **flags: Any) -> None:
    """Serve a function over HTTP: lastword serve main.py --target hello"""
    use_asgi = os.environ.get("FUNCTION_USE_ASGI", "").strip().lower() in ("1", "true", "yes", "on")
    if asgi or use_asgi:
        fix = "drop --asgi" if asgi else "unset FUNCTION_USE_ASGI"
        raise click.UsageError(ASGI_REFUSED.format(fix=fix))
    config = build_config(source_file, flags)
    if dry_run:
        _dry_run(config)
        return
    from ._serving import serve as run

    try:
        status = run(config)
    except StartupError as exc:
        click.echo(f"lastword: error: {exc}", err=True)
        sys.exit(STARTUP_FAILURE)
    sys.exit(status)


def _dry_run(config: Config) -> None:
    from ._loader import load

    try:
        loaded, config = load(config)
    except StartupError as exc:
        click.echo(f"lastword: error: {exc}", err=True)
        sys.exit(STARTUP_FAILURE)
    click.echo(
        f"lastword: {loaded.name} ({config.signature_type}) from {loaded.source} loads; it would "
        f"be served at http://{config.host}:{config.port} (--dry-run: not listening)"
    )


if __name__ == "__main__":  # pragma: no cover
    main()
