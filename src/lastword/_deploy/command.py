"""``lastword deploy``: write a function's Dockerfile, print its Knative or Cloud Run service.

Imported only when ``deploy`` runs. The commands take the same options as ``lastword serve``;
what each one becomes on each platform is the table in :mod:`._settings`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .._cli import build_config, serve_options
from .._config import Config
from . import DeployError
from ._dockerfile import DOCKERIGNORE, GENERATED, dockerfile
from ._manifest import service, service_name, to_yaml
from ._settings import Platform, check
from ._source import Source, inspect, pyproject_requirements


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def deploy() -> None:
    """Deploy a function: a container image, and a Knative or Cloud Run service that runs it.

    \b
      lastword deploy container main.py --target hello      # writes Dockerfile, .dockerignore
      lastword deploy cloudrun main.py --target hello --image IMAGE -o service.yaml
      lastword deploy knative  main.py --target hello --image IMAGE -o service.yaml

    The settings of `lastword serve` (--concurrency, --timeout, --cpu, --memory, --grace...)
    become the platform's: see docs/deploying.md.
    """


def _resolve(source_file: str | None, flags: dict[str, Any], *, need_source: bool) -> tuple[Config, Source | None]:
    config = build_config(source_file, flags)
    explicit = source_file is not None or flags.get("source") is not None or "FUNCTION_SOURCE" in os.environ
    if not need_source and not explicit and config.target is not None:
        path = Path(config.source)
        if not (path / "main.py" if path.is_dir() else path).is_file():
            return config, None  # deploying an image built elsewhere: nothing to inspect here
    try:
        source = inspect(config)
    except DeployError as exc:
        raise click.UsageError(str(exc)) from None
    return config.replace(target=source.target, signature_type=source.signature_type), source


def _write(path: Path, text: str, force: bool) -> str:
    if path.exists():
        current = path.read_text(errors="replace")
        if current == text:
            return "unchanged"
        if not current.startswith(GENERATED) and not force:
            raise click.UsageError(
                f"{path} exists and was not written by lastword: pass --force to replace it "
                "(or move it away first)"
            )
    path.write_text(text)
    return "wrote"


@deploy.command()
@click.argument("source_file", required=False, metavar="[SOURCE]")
@serve_options
@click.option("--force", is_flag=True, help="Replace a Dockerfile or .dockerignore lastword did not write.")
def container(source_file: str | None, force: bool, **flags: Any) -> None:
    """Write a Dockerfile and .dockerignore beside the function's source.

    The image installs lastword and the folder's requirements.txt (or pyproject.toml
    dependencies) in their own layers, compiles the code, runs as a non-root user and serves
    the target with `lastword serve` as PID 1, on $PORT.
    """
    config, source = _resolve(source_file, flags, need_source=True)
    assert source is not None
    try:
        check(config, "container")
    except DeployError as exc:
        raise click.UsageError(str(exc)) from None
    for name, text in (("Dockerfile", dockerfile(config, source)), (".dockerignore", DOCKERIGNORE)):
        done = _write(source.folder / name, text, force)
        click.echo(f"{done} {source.folder / name}", err=True)
    tag = service_name(source.target)
    click.echo(
        f"\nBuild and run it:\n"
        f"  docker build -t {tag} {_shown(source.folder)}\n"
        f"  docker run --rm -p {config.port}:{config.port} {tag}\n"
        f"Then push it and describe the service: lastword deploy cloudrun|knative "
        f"--target {source.target} --image REGISTRY/{tag}",
        err=True,
    )


def _shown(folder: Path) -> str:
    try:
        relative = folder.relative_to(Path.cwd())
    except ValueError:
        return str(folder)
    return str(relative) if str(relative) != "." else "."


def _manifest_command(platform: Platform, title: str, apply: str) -> click.Command:
    @click.argument("source_file", required=False, metavar="[SOURCE]")
    @serve_options
    @click.option("--image", required=True, help="The image to run (built from `deploy container`).")
    @click.option("--name", help="Service name (default: from the target, e.g. hello_world -> hello-world).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of printing.")
    def command(source_file: str | None, image: str, name: str | None, output: str | None, **flags: Any) -> None:
        config, _ = _resolve(source_file, flags, need_source=False)
        if config.target is None:
            raise click.UsageError("which function does the image serve? Give --target NAME")
        name = name or service_name(config.target)
        try:
            warnings = check(config, platform)
            text = to_yaml(service(config, platform, name=name, image=image))
        except DeployError as exc:
            raise click.UsageError(str(exc)) from None
        for warning in warnings:
            click.echo(f"lastword: warning: {warning}", err=True)
        if output is None or output == "-":
            click.echo(text, nl=False)
            return
        Path(output).write_text(text)
        click.echo(f"wrote {output}\nDeploy it: {apply.format(file=output)}", err=True)

    command.__doc__ = (
        f"Print (or write with -o) the {title} service (serving.knative.dev/v1) for an image.\n\n"
        "Maps --concurrency, --timeout, --cpu, --memory and --grace to the platform's settings "
        "and adds a probe of lastword's health endpoint."
    )
    return click.command(name=platform)(command)


deploy.add_command(_manifest_command("knative", "Knative", "kubectl apply -f {file}"))
deploy.add_command(
    _manifest_command("cloudrun", "Cloud Run", "gcloud run services replace {file} --region REGION")
)


@deploy.command()
@click.argument("pyproject", type=click.Path(exists=True, dir_okay=False), default="pyproject.toml")
def requirements(pyproject: str) -> None:
    """Print the [project] dependencies of a pyproject.toml, one per line (used by the
    generated Dockerfile to install them in their own layer)."""
    try:
        wanted = pyproject_requirements(Path(pyproject))
    except DeployError as exc:
        raise click.UsageError(str(exc)) from None
    for line in wanted:
        click.echo(line)
    sys.stdout.flush()
