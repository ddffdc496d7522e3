"""The ``lastword`` command's entry point, with a fast path for ``lastword serve``.

``lastword serve main.py --target hello --port 8080`` — what a container runs at every cold
start — is parsed here from the option table (``_options``) without importing click, which costs
more than the rest of the command line together. Anything else (help, ``--version``,
``--dry-run``, the other commands, a value the configuration refuses) goes to the click
command, which says what is wrong the usual way.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["serve"]:
        flags = parse_serve(args[1:])
        if flags is not None:
            _serve(flags)  # does not return, unless the configuration is refused
    from ._cli import main as cli

    cli(prog_name="lastword")


def parse_serve(args: list[str]) -> dict[str, Any] | None:
    """The flags of ``serve args``, or None when only click can say what they mean."""
    from ._options import SERVE_OPTIONS

    spellings: dict[str, tuple[str, str, Any]] = {}
    for option in SERVE_OPTIONS:
        if option.kind == "switch":
            on, off = option.flag.split("/")
            spellings[on] = (option.field, option.kind, True)
            spellings[off] = (option.field, option.kind, False)
        elif option.kind == "flag":
            spellings[option.flag] = (option.field, option.kind, True)
        else:
            spellings[option.flag] = (option.field, option.kind, None)
    flags: dict[str, Any] = {}
    source: str | None = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg.startswith("--"):
            name, equals, value = arg.partition("=")
            found = spellings.get(name)
            if found is None:
                return None  # --help, --version, --dry-run, --asgi, a typo: click's to answer
            field, kind, constant = found
            if constant is not None:
                if equals:
                    return None
                flags[field] = constant
            else:
                if not equals:
                    index += 1
                    if index >= len(args):
                        return None
                    value = args[index]
                try:
                    flags[field] = int(value) if kind == "int" else float(value) if kind == "float" else value
                except ValueError:
                    return None
        elif arg.startswith("-") or source is not None:
            return None
        else:
            source = arg
        index += 1
    if source is not None:
        if flags.get("source") not in (None, source):
            return None
        flags["source"] = source
    return flags


def _serve(flags: dict[str, Any]) -> None:
    from ._config import Config
    from ._errors import STARTUP_FAILURE, ConfigError, StartupError

    if os.environ.get("FUNCTION_USE_ASGI", "").strip().lower() in ("1", "true", "yes", "on"):
        return  # refused, with its reason, by the click command
    try:
        config = Config.build(env=os.environ, flags=flags)
    except ConfigError:
        return  # the click command says what is wrong, as usage errors are said
    from ._serving import serve

    try:
        status = serve(config)
    except StartupError as exc:
        print(f"lastword: error: {exc}", file=sys.stderr, flush=True)
        sys.exit(STARTUP_FAILURE)
    sys.exit(status)
