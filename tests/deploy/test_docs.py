"""The deploying and migrating pages stay true to the code and complete against FF."""

from __future__ import annotations

import re
from pathlib import Path

import functions_framework
from functions_framework._cli import _cli as ff_cli

from lastword._config import Config
from lastword._deploy._manifest import service, to_yaml
from lastword._deploy._settings import SETTINGS
from lastword._options import SERVE_OPTIONS

from .conftest import REPO

DEPLOYING = (REPO / "docs" / "deploying.md").read_text()
MIGRATING = (REPO / "docs" / "migrating.md").read_text()


def test_the_cloud_run_example_is_what_lastword_writes() -> None:
    example = re.search(r"```yaml\n(.*?)```", DEPLOYING, re.S)
    assert example is not None
    config = Config.build(flags={"target": "hello", "cpu": "always", "memory": "1Gi"})
    generated = service(config, "cloudrun", name="hello", image="REGION-docker.pkg.dev/PROJECT/REPO/hello")
    assert example.group(1) == to_yaml(generated)


def test_the_settings_table_names_every_mapped_setting() -> None:
    flags = {o.field: o.flag.split("/")[0] for o in SERVE_OPTIONS}
    section = DEPLOYING.split("## What each setting becomes", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    for setting in SETTINGS:
        if setting.places or setting.checks:
            flag = flags.get(setting.field, "--" + setting.field.replace("_", "-"))
            assert f"`{flag}" in table or f"`{setting.env}`" in table, setting.field


def test_every_ff_flag_and_variable_is_in_the_migration_table() -> None:
    for param in ff_cli.params:
        for option in param.opts:
            assert f"`{option}" in MIGRATING, option
        if getattr(param, "envvar", None):
            assert f"`{param.envvar}`" in MIGRATING, param.envvar
    package = Path(functions_framework.__file__).parent
    read = set()
    for path in package.rglob("*.py"):
        read |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", path.read_text()))
    assert {"WORKERS", "THREADS", "CLOUD_RUN_TIMEOUT_SECONDS", "LOG_EXECUTION_ID"} <= read
    for name in read:
        assert f"`{name}`" in MIGRATING, name


def test_every_ff_decorator_and_public_function_is_in_the_migration_table() -> None:
    import functions_framework.aio as aio

    for module, prefix in ((functions_framework, "functions_framework"), (aio, "functions_framework.aio")):
        for name in ("http", "cloud_event", "typed", "create_app", "create_asgi_app", "errorhandler"):
            if hasattr(module, name) and not (prefix.endswith("aio") and name in ("typed", "errorhandler")):
                assert f"{prefix}.{name}" in MIGRATING, f"{prefix}.{name}"
