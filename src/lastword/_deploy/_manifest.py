"""A ``serving.knative.dev/v1`` Service for Knative or Cloud Run, as data and as YAML.

Cloud Run accepts the same resource (``gcloud run services replace``) with its own
``run.googleapis.com/*`` annotations. What goes where is decided by the table in
:mod:`._settings`; this module only assembles the resource around it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .._config import HEALTH_PATH, Config
from . import DeployError
from ._settings import Path, Platform, check, environment, placements

DNS_1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
MAX_NAME = 63


def service_name(target: str) -> str:
    """A DNS-1035 label made from a function name: ``hello_World`` -> ``hello-world``."""
    name = re.sub(r"[^a-z0-9-]+", "-", target.lower()).strip("-")
    if not name or not name[0].isalpha():
        name = f"fn-{name}".rstrip("-")
    return name[:MAX_NAME].rstrip("-")


def check_name(name: str) -> None:
    if len(name) > MAX_NAME or not DNS_1035_LABEL.fullmatch(name):
        raise DeployError(
            f"service name {name!r} is not valid: it must be at most {MAX_NAME} characters of "
            "lowercase letters, digits and '-', start with a letter and not end with '-' "
            "(a DNS-1035 label); pass another with --name"
        )


def _probe(config: Config, platform: Platform) -> tuple[str, dict[str, Any]]:
    http_get = {"path": HEALTH_PATH, "port": config.port}
    if platform == "cloudrun":
        # Cloud Run: a startup probe (readiness probes are in preview there). Up to 240 s to load.
        return "startupProbe", {
            "httpGet": http_get, "periodSeconds": 1, "timeoutSeconds": 1, "failureThreshold": 240,
        }
    # Knative: queue-proxy runs HTTP readiness probes itself, aggressively until the first success
    # (periodSeconds unset), then keeps routing only to pods that pass.
    return "readinessProbe", {"httpGet": http_get, "successThreshold": 1}


def service(config: Config, platform: Platform, *, name: str, image: str) -> dict[str, Any]:
    """The Service resource serving ``image`` with ``config`` (target and type resolved)."""
    check(config, platform)
    check_name(name)
    if not image or any(c.isspace() for c in image):
        raise DeployError(f"--image {image!r} is not an image reference (e.g. gcr.io/PROJECT/{name})")
    probe, spec = _probe(config, platform)
    container: dict[str, Any] = {
        "image": image,
        "ports": [{"name": "http1"}],
        "env": [{"name": k, "value": v} for k, v in environment(config, platform).items()],
        probe: spec,
    }
    template: dict[str, Any] = {"metadata": {}, "spec": {"containers": [container]}}
    for path, value in placements(config, platform):
        _put(template, path, value)
    template["spec"]["containers"] = template["spec"].pop("containers")  # last: easier to read
    if not template["metadata"]:
        del template["metadata"]
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"template": template},
    }


def _put(tree: Any, path: Path, value: Any) -> None:
    node = tree
    for step, following in zip(path, path[1:], strict=False):
        if isinstance(step, int):
            node = node[step]
            continue
        if step not in node:
            node[step] = [{}] if isinstance(following, int) else {}
        node = node[step]
    node[path[-1]] = value


def to_yaml(data: Any, indent: int = 0) -> str:
    """YAML for plain data (dicts, lists, str, int, bool); strings that could read as anything
    else (numbers, booleans, null) are quoted."""
    return "\n".join(_yaml_lines(data, indent)) + "\n"


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_./-]+")


_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./:@-]*")
_KEYWORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    plain = _PLAIN.fullmatch(text) and text.lower() not in _KEYWORDS and not text.endswith(":")
    return text if plain else json.dumps(text)


def _key(key: str) -> str:
    return key if _PLAIN_KEY.fullmatch(key) else json.dumps(key)


def _yaml_lines(data: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{pad}{_key(key)}:")
                lines += _yaml_lines(value, indent + 2)
            else:
                empty = "{}" if isinstance(value, dict) else "[]"
                shown = empty if isinstance(value, (dict, list)) else _scalar(value)
                lines.append(f"{pad}{_key(key)}: {shown}")
    elif isinstance(data, list):
        for item in data:
            nested = _yaml_lines(item, indent + 2)
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines += nested[1:]
            else:
                lines.append(f"{pad}- {nested[0].lstrip()}" if nested else f"{pad}- {_scalar(item)}")
    else:
        lines.append(pad + _scalar(data))
    return lines

