"""The ``lastword`` command. Exit codes: 0 ok, 2 usage error, 3 the function cannot be served."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ._config import BACKGROUND_POLICIES, CPU_ALLOCATIONS, LOG_FORMATS, SIGNATURE_TYPES, Config
from ._errors import STARTUP_FAILURE, ConfigError, StartupError


class _LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs (cold start is a feature)."""

    lazy = {"check": "lastword._check.command:check"}

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
    they leave running after their response."""


@main.command()
@click.argument("source_file", required=False, metavar="[SOURCE]")
@click.option("--source", help="File that defines the function (env FUNCTION_SOURCE; default main.py).")
@click.option("--target", help="Name of the function to serve (env FUNCTION_TARGET).")
@click.option(
    "--signature-type",
    type=click.Choice(SIGNATURE_TYPES + ("cloud_event",), case_sensitive=False),
    help="http, cloudevent, event or typed (env FUNCTION_SIGNATURE_TYPE; default http).",
)
@click.option("--host", help="Address to listen on (env HOST; default 0.0.0.0).")
@click.option("--port", type=int, help="Port to listen on (env PORT; default 8080; 0 picks one).")
@click.option("--workers", type=int, help="Worker processes sharing the port (default 1).")
@click.option("--threads", type=int, help="Threads for sync functions (default 4 per CPU).")
@click.option(
    "--background",
    type=click.Choice(BACKGROUND_POLICIES),
    help="What to do with work still running when the response is sent (default warn).",
)
@click.option(
    "--cpu",
    type=click.Choice(CPU_ALLOCATIONS),
    help="request: CPU only while serving, as on the platform (default); always.",
)
@click.option("--timeout", type=float, help="Seconds an invocation may take (default 300).")
@click.option("--tracking/--no-tracking", default=None, help="Track background work (default on).")
@click.option("--log-format", type=click.Choice(LOG_FORMATS), help="Default: json unless stdout is a terminal.")
@click.option("--debug", is_flag=True, default=None, help="Verbose logs.")
def serve(source_file: str | None, **flags: Any) -> None:
    """Serve a function over HTTP: lastword serve main.py --target hello"""
    if source_file is not None:
        if flags["source"] is not None and flags["source"] != source_file:
            raise click.UsageError(f"two sources given: {source_file!r} and --source {flags['source']!r}")
        flags["source"] = source_file
    if flags.get("signature_type") == "cloud_event":
        flags["signature_type"] = "cloudevent"
    from ._server import serve as run

    try:
        config = Config.build(env=os.environ, flags=flags)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        status = run(config)
    except StartupError as exc:
        click.echo(f"lastword: error: {exc}", err=True)
        sys.exit(STARTUP_FAILURE)
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
