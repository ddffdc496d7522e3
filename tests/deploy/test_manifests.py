"""Knative and Cloud Run Service manifests: validated against Knative's schema and webhook rules,
with each setting where the platform reads it, and what a platform cannot honour refused."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from lastword import Config
from lastword._config import HEALTH_PATH
from lastword._deploy import DeployError
from lastword._deploy._manifest import service, service_name, to_yaml
from lastword._deploy._settings import SETTINGS, check

from .conftest import knative_rules

PLATFORMS = ("knative", "cloudrun")

CONFIGS: list[dict[str, Any]] = [
    {},
    {"concurrency": 1, "timeout": 2.5, "grace": 2},
    {"concurrency": 1000, "timeout": 3600, "cpu": "always", "memory": "512Mi"},
    {"memory": "1.5G", "background": "wait", "workers": 2, "threads": 3, "port": 9000},
    {"tracking": False, "log_format": "text", "debug": True, "log_execution_id": True},
    {"signature_type": "cloudevent", "grace": 0.5},
]


def _service(platform: str, name: str = "hello", **values: Any) -> dict[str, Any]:
    config = Config.build(flags={"target": "hello", **values})
    return service(config, platform, name=name, image="gcr.io/project/hello:v1")  # type: ignore[arg-type]


def _container(manifest: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = manifest["spec"]["template"]["spec"]["containers"][0]
    return container


def _env(manifest: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in _container(manifest)["env"]}


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("values", CONFIGS, ids=lambda v: ",".join(f"{k}={v[k]}" for k in v) or "defaults")
def test_every_manifest_validates(platform: str, values: dict[str, Any], service_validator: Any) -> None:
    """Each manifest, as YAML read back, passes the strict schema and Knative's own rules."""
    manifest = yaml.safe_load(to_yaml(_service(platform, **values)))
    errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in service_validator.iter_errors(manifest)]
    assert errors == []
    assert knative_rules(manifest) == []
    assert manifest["apiVersion"] == "serving.knative.dev/v1" and manifest["kind"] == "Service"


def test_the_validator_can_fail(service_validator: Any) -> None:
    """A field Knative does not accept in a revision, and a wrongly typed one, are caught."""
    manifest = _service("knative")
    manifest["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = 30
    _container(manifest)["ports"][0]["containerPort"] = "8080"
    messages = [e.message for e in service_validator.iter_errors(manifest)]
    assert any("terminationGracePeriodSeconds" in m for m in messages), messages
    assert any("'8080' is not of type 'integer'" in m for m in messages), messages
    broken = _service("knative")
    _container(broken)["env"].append({"name": "PORT", "value": "8080"})
    broken["metadata"]["name"] = "Hello_World"
    assert len(knative_rules(broken)) == 2


@pytest.mark.parametrize("platform", PLATFORMS)
def test_settings_land_where_the_platform_reads_them(platform: str) -> None:
    manifest = _service(platform, concurrency=7, timeout=12.5, grace=3, memory="768Mi", cpu="always")
    template = manifest["spec"]["template"]
    assert template["spec"]["containerConcurrency"] == 7
    assert template["spec"]["timeoutSeconds"] == 13  # whole seconds, never shorter than asked
    container = _container(manifest)
    assert container["resources"] == {"limits": {"memory": "768Mi"}}
    assert container["ports"] == [{"name": "http1", "containerPort": 8080}]
    env = _env(manifest)
    assert env["FUNCTION_TARGET"] == "hello" and env["FUNCTION_SIGNATURE_TYPE"] == "http"
    # lastword in the container applies the same limits as the platform in front of it
    assert (env["LASTWORD_CONCURRENCY"], env["LASTWORD_TIMEOUT"], env["LASTWORD_GRACE"]) == ("7", "12.5", "3")
    assert env["LASTWORD_MEMORY"] == "768Mi" and env["LASTWORD_CPU"] == "always"
    assert "PORT" not in env  # the platform sets it from containerPort


def test_cpu_allocation_is_a_cloud_run_annotation() -> None:
    def throttling(manifest: dict[str, Any]) -> str | None:
        annotations = manifest["spec"]["template"].get("metadata", {}).get("annotations", {})
        return annotations.get("run.googleapis.com/cpu-throttling")

    assert throttling(_service("cloudrun", cpu="always")) == "false"
    assert throttling(_service("cloudrun", cpu="request")) == "true"
    assert throttling(_service("knative", cpu="always")) is None  # Knative never throttles


def test_probes_ask_lastword_not_the_function() -> None:
    cloudrun = _container(_service("cloudrun", port=9000))
    assert cloudrun["startupProbe"]["httpGet"] == {"path": HEALTH_PATH, "port": 9000}
    probe = cloudrun["startupProbe"]
    assert probe["periodSeconds"] * probe["failureThreshold"] <= 240  # Cloud Run's maximum
    knative = _container(_service("knative"))
    assert knative["readinessProbe"]["httpGet"] == {"path": HEALTH_PATH, "port": 8080}


def test_defaults_are_not_written_but_platform_bound_settings_are() -> None:
    env = _env(_service("knative"))
    assert set(env) == {
        "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE",
        "LASTWORD_CONCURRENCY", "LASTWORD_TIMEOUT", "LASTWORD_GRACE", "LASTWORD_CPU",
    }
    chosen = _env(_service("knative", background="wait", workers=2, tracking=False))
    assert (chosen["LASTWORD_BACKGROUND"], chosen["LASTWORD_WORKERS"], chosen["LASTWORD_TRACKING"]) == ("wait", "2", "false")


def test_env_values_read_back_as_the_same_configuration() -> None:
    """What the manifest sets is what ``lastword serve`` in the container will run with."""
    values = {"concurrency": 3, "timeout": 42.0, "grace": 4.0, "cpu": "always", "memory": "1Gi",
              "background": "cancel", "workers": 2, "threads": 5, "tracking": False}
    env = _env(_service("knative", **values))
    rebuilt = Config.build(env=env)
    for field, value in values.items():
        assert getattr(rebuilt, field) == value, field
    assert rebuilt.target == "hello"


@pytest.mark.parametrize(
    ("platform", "values", "message"),
    [
        ("cloudrun", {"timeout": 3601}, "Cloud Run allows a request timeout of at most 3600 s"),
        ("cloudrun", {"grace": 10.5}, "Cloud Run sends SIGKILL 10 s after SIGTERM, so --grace 10.5 cannot be honoured"),
        ("knative", {"timeout": 5, "grace": 6}, "revision timeout (5 s, --timeout) before SIGKILL, less than --grace 6"),
        ("knative", {"port": 8012}, "port 8012 is used by Knative's queue-proxy"),
        ("cloudrun", {"port": 0}, "a container listens on a fixed port"),
        ("knative", {"host": "127.0.0.1"}, "--host 127.0.0.1 would make the container unreachable"),
        ("cloudrun", {"reload": True}, "--reload watches files"),
        ("knative", {"report_header": True}, "LASTWORD_REPORT_HEADER"),
    ],
)
def test_what_a_platform_cannot_honour_is_refused(platform: str, values: dict[str, Any], message: str) -> None:
    with pytest.raises(DeployError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _service(platform, **values)


def test_limits_are_inclusive() -> None:
    assert _service("cloudrun", timeout=3600, grace=10)["spec"]["template"]["spec"]["timeoutSeconds"] == 3600
    assert _service("knative", timeout=5, grace=5)
    assert check(Config.build(flags={"timeout": 900}), "knative") == [
        "Knative refuses a timeout over 600 s unless the cluster's config-defaults raises "
        "max-revision-timeout-seconds; --timeout 900 needs that"
    ]


def test_every_setting_of_serve_has_a_row() -> None:
    """The table covers every configuration field, so a new one cannot be forgotten silently."""
    import dataclasses

    fields = {f.name for f in dataclasses.fields(Config)}
    assert {s.field for s in SETTINGS} == fields
    for setting in SETTINGS:
        for path in setting.places.values():
            assert path[0] in ("spec", "metadata")
        if setting.field == "timeout":
            assert setting.convert(0.2) == 1 and setting.convert(2.0) == 2 and setting.convert(2.01) == math.ceil(2.01)


@pytest.mark.parametrize(
    ("target", "name"),
    [("hello", "hello"), ("Hello_World", "hello-world"), ("_private", "private"),
     ("handle2", "handle2"), ("__", "fn"), ("x" * 80, "x" * 63)],
)
def test_service_names_are_dns_labels(target: str, name: str) -> None:
    assert service_name(target) == name
    assert knative_rules(_service("knative", name=name)) == []


def test_bad_names_and_images_are_refused() -> None:
    with pytest.raises(DeployError, match="service name 'Hello' is not valid"):
        _service("knative", name="Hello")
    with pytest.raises(DeployError, match="not an image reference"):
        service(Config(target="hello"), "knative", name="hello", image="my image")


@pytest.mark.parametrize(
    "data",
    [
        {"a": "true", "b": "80", "c": "", "d": "a: b", "e": "#x", "f": "- y", "g": "null", "h": "~",
         "i": "1e3", "j": "x\ny", "k": 'q"uote', "l": True, "m": 0, "n": "Yes", "o": "512Mi"},
        {"list": [{"x": 1, "y": [1, "2"]}, "s", {"z": {}}], "empty": [], "run.googleapis.com/k": "v"},
    ],
)
def test_yaml_reads_back_as_the_same_data(data: dict[str, Any]) -> None:
    assert yaml.safe_load(to_yaml(data)) == data


def _deploy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lastword", "deploy", *args],
        capture_output=True, text=True, timeout=60, cwd=cwd,
    )


def test_cli_prints_or_writes_the_manifest(tmp_path: Path, service_validator: Any) -> None:
    (tmp_path / "main.py").write_text("import lastword\n\n@lastword.http\ndef say_hello(request):\n    return 'hi'\n")
    printed = _deploy("knative", "--image", "registry.example/hello:1", "--memory", "256Mi", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    manifest = yaml.safe_load(printed.stdout)
    assert manifest["metadata"]["name"] == "say-hello"  # the one decorated function
    assert list(service_validator.iter_errors(manifest)) == [] and knative_rules(manifest) == []
    written = _deploy("cloudrun", "main.py", "--target", "say_hello", "--image", "gcr.io/p/h",
                      "--cpu", "always", "-o", "service.yaml", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "gcloud run services replace service.yaml --region REGION" in written.stderr
    manifest = yaml.safe_load((tmp_path / "service.yaml").read_text())
    assert list(service_validator.iter_errors(manifest)) == [] and knative_rules(manifest) == []
    assert manifest["spec"]["template"]["metadata"]["annotations"] == {"run.googleapis.com/cpu-throttling": "false"}


def test_cli_refusals_name_the_fix(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("def hello(request):\n    return 'hi'\n")
    too_long = _deploy("cloudrun", "--target", "hello", "--image", "x", "--timeout", "7200", cwd=tmp_path)
    assert too_long.returncode == 2
    assert "Cloud Run allows a request timeout of at most 3600 s (60 minutes); got --timeout 7200" in too_long.stderr
    missing = _deploy("knative", "--target", "helo", "--image", "x", cwd=tmp_path)
    assert missing.returncode == 2
    assert "--target 'helo' is not defined at the top level of" in missing.stderr
    assert "it defines hello" in missing.stderr
    no_image = _deploy("knative", "--target", "hello", cwd=tmp_path)
    assert no_image.returncode == 2 and "--image" in no_image.stderr


def test_an_image_built_elsewhere_needs_only_a_target(tmp_path: Path) -> None:
    """No source here: the manifest is made from the options alone."""
    result = _deploy("knative", "--target", "hello", "--image", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["metadata"]["name"] == "hello"
    named = _deploy("knative", "gone.py", "--target", "hello", "--image", "x", cwd=tmp_path)
    assert named.returncode == 2 and "source file 'gone.py' not found" in named.stderr
