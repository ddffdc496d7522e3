"""The ``lastword check`` click command (imports only the stdlib and click up front)."""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = ("text", "json", "sarif", "github")


@click.command(
    "check",
    help=(
        "Check functions for work that runs after the response: tasks, threads, "
        "executor jobs and processes left running, background tasks attached to the "
        "response, and awaitables returned instead of responses. Reads the source only; "
        "nothing is imported or run. Checks every function the platform can serve (declared, "
        "--target, or shaped like one in main.py) and ends by saying which. Exits 0 when "
        "clean (or when no function could be checked, which it says), 1 with findings, 2 on "
        "a usage error."
    ),
)
@click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATHS]..."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="Output format.",
)
@click.option("--select", default=None, help="Comma-separated rule codes or prefixes to report.")
@click.option("--ignore", default=None, help="Comma-separated rule codes or prefixes to skip.")
@click.option("--target", default=None, help="Name of the function the platform calls.")
@click.option(
    "--config", "config_path", default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pyproject.toml to read [tool.lastword.check] from (default: the nearest one).",
)
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str,
    select: str | None,
    ignore: str | None,
    target: str | None,
    config_path: Path | None,
) -> None:
    from ._analyze import check_project
    from ._config import Config, ConfigError, find_pyproject, load_pyproject, parse_codes
    from ._entrypoints import target_exists
    from ._files import discover, read_sources
    from ._output import nothing_checked, render
    from ._project import Project, build_module

    roots = list(paths) or [Path(".")]
    cwd = Path.cwd()
    try:
        found = config_path or find_pyproject(roots[0])
        config = load_pyproject(found) if found is not None else Config()
        chosen = parse_codes(select, "--select") if select is not None else config.select
        skipped = config.ignore + (parse_codes(ignore, "--ignore") if ignore else ())
    except ConfigError as exc:
        raise click.UsageError(str(exc), ctx) from exc
    config = Config(chosen, skipped, target or config.target, config.exclude, config.path)

    files = discover(roots, config.exclude)
    sources = read_sources(files, cwd)
    if config.target:
        import ast

        modules = []
        for path, source in sources.items():
            try:
                modules.append(build_module(path, ast.parse(source)))
            except (SyntaxError, ValueError):
                continue
        if not target_exists(Project(modules), config.target):
            raise click.UsageError(
                f"--target {config.target!r}: no top-level function with that name in the "
                "checked files",
                ctx,
            )
    result = check_project(sources, target=config.target, enabled=config.enabled)
    root_uri = cwd.resolve().as_uri() + "/"
    click.echo(render(fmt, result, root_uri), nl=False)
    if fmt == "json" and not result.checked:
        click.echo(f"lastword check: {nothing_checked(result)}", err=True)
    ctx.exit(1 if result.findings else 0)
