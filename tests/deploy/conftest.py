"""Shared data for the deploy tests: the Knative Service schema, made as strict as an API server."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI", "").lower() == "true"


def shared_dir() -> Path | None:
    """``<repo>/../shared`` (the layout of the project's machines), else ``/work/shared``."""
    for candidate in (REPO.parent / "shared", Path("/work/shared")):
        if (candidate / "deploy" / "knative-service-v1.schema.json").is_file():
            return candidate
    return None


def need_shared() -> Path:
    found = shared_dir()
    if found is None:
        message = (
            f"the Knative Service schema is not in {REPO.parent / 'shared'} nor /work/shared "
            "(deploy/knative-service-v1.schema.json)"
        )
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def strict(schema: Any) -> Any:
    """The schema with unknown fields refused where it lists the known ones: an API server with
    this CRD prunes (or, with strict field validation, rejects) any other field, so a manifest
    that relies on one would silently lose it."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if (
                "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@pytest.fixture(scope="session")
def service_validator() -> Any:
    import jsonschema

    schema = json.loads((need_shared() / "deploy" / "knative-service-v1.schema.json").read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(strict(schema))


DNS_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
KNATIVE_RESERVED_ENV = {"PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"}


def knative_rules(manifest: dict[str, Any]) -> list[str]:
    """What Knative's admission webhook checks beyond the schema (knative/serving
    pkg/apis/serving/k8s_validation.go), and metadata.name, which the schema leaves open."""
    problems: list[str] = []
    name = manifest["metadata"]["name"]
    if len(name) > 63 or not DNS_1035.fullmatch(name):
        problems.append(f"metadata.name {name!r} is not a DNS-1035 label")
    spec = manifest["spec"]["template"]["spec"]
    if len(spec["containers"]) != 1:
        problems.append("one container")
    container = spec["containers"][0]
    ports = container.get("ports", [])
    if len(ports) != 1 or ports[0].get("name", "") not in ("", "h2c", "http1"):
        problems.append(f"one port named '', h2c or http1: {ports}")
    for env in container.get("env", []):
        if env["name"] in KNATIVE_RESERVED_ENV:
            problems.append(f"{env['name']} is a reserved environment variable")
        if not isinstance(env.get("value"), str):
            problems.append(f"env {env['name']} value must be a string")
    for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container.get(kind)
        if probe is None:
            continue
        port = probe.get("httpGet", {}).get("port")
        if port is not None and port != ports[0]["containerPort"]:
            problems.append(f"{kind} port {port} is not the container port")
        aggressive = kind == "readinessProbe" and not probe.get("periodSeconds")
        if aggressive and ("failureThreshold" in probe or "timeoutSeconds" in probe):
            problems.append("periodSeconds 0 forbids failureThreshold and timeoutSeconds")
    return problems
