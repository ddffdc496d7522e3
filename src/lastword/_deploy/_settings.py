"""One table: each setting of ``lastword serve`` and where each platform takes it.

A row names a :class:`~lastword.Config` field; the environment variable that carries it into the
container comes from the configuration's own table (``_config.ENVIRONMENT``), so the image, the
manifests and ``lastword serve`` can never disagree on a name. A row may also say where Knative
or Cloud Run take the value in a ``serving.knative.dev/v1`` Service (a path from the revision
template), and which values a platform cannot honour (a check with the sentence to show).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any, Literal, get_args

from .._config import ENVIRONMENT, Config
from . import DeployError

Platform = Literal["container", "knative", "cloudrun"]
PLATFORMS: tuple[Platform, ...] = get_args(Platform)
MANIFEST_PLATFORMS: tuple[Platform, ...] = ("knative", "cloudrun")

CLOUD_RUN_MAX_TIMEOUT = 3600
"""Seconds: the longest request timeout Cloud Run accepts."""
CLOUD_RUN_SIGKILL_AFTER = 10
"""Seconds Cloud Run waits between SIGTERM and SIGKILL (not configurable)."""
KNATIVE_DEFAULT_MAX_TIMEOUT = 600
"""Knative's default ``max-revision-timeout-seconds`` (a cluster setting)."""
KNATIVE_RESERVED_PORTS = frozenset({8008, 8012, 8013, 8022, 9090, 9091})
"""Ports Knative's queue-proxy uses in the pod; the container may not listen on them."""

Path = tuple[str | int, ...]
"""Where a value goes in the Service, from ``spec.template``; ints index lists."""

CONTAINER: Path = ("spec", "containers", 0)
CONCURRENCY: Path = ("spec", "containerConcurrency")
TIMEOUT: Path = ("spec", "timeoutSeconds")
MEMORY: Path = (*CONTAINER, "resources", "limits", "memory")
PORT: Path = (*CONTAINER, "ports", 0, "containerPort")
CPU_THROTTLING: Path = ("metadata", "annotations", "run.googleapis.com/cpu-throttling")


@dataclasses.dataclass(frozen=True)
class Check:
    """A value a platform cannot honour: ``ok(config)`` false means refuse with ``message``."""

    platforms: tuple[Platform, ...]
    ok: Callable[[Config], bool]
    message: str
    """Formatted with ``config`` (the resolved configuration)."""
    warn: bool = False
    """Only a warning: the platform may have been configured to allow it."""


@dataclasses.dataclass(frozen=True)
class Setting:
    field: str
    places: Mapping[Platform, Path] = dataclasses.field(default_factory=dict)
    """Where a platform takes the value in its manifest."""
    convert: Callable[[Any], Any] = lambda value: value
    """The value as the platform writes it."""
    env_on: tuple[Platform, ...] = PLATFORMS
    """Platforms where lastword gets the value from its environment variable."""
    always: bool = False
    """Written even at its default, so lastword and the platform agree whatever the image says."""
    checks: tuple[Check, ...] = ()
    meaning: str = ""
    """What the platform does with it (for the docs and ``lastword deploy --help``)."""

    @property
    def env(self) -> str | None:
        """The variable lastword reads it from (the last one listed wins in ``Config.build``)."""
        names = [var for var, field in ENVIRONMENT.items() if field == self.field]
        return names[-1] if names else None


def _listens_everywhere(config: Config) -> bool:
    return config.host in ("0.0.0.0", "::", "")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "target",
        always=True,
        meaning="FUNCTION_TARGET in the container; the image's entrypoint names it too",
    ),
    Setting(
        "signature_type",
        always=True,
        meaning="FUNCTION_SIGNATURE_TYPE in the container; the image's entrypoint names it too",
    ),
    Setting(
        "source",
        env_on=(),
        meaning="copied into the image; its folder is the build context",
    ),
    Setting(
        "port",
        places={"knative": PORT, "cloudrun": PORT},
        env_on=("container",),
        always=True,
        checks=(
            Check(PLATFORMS, lambda c: c.port != 0,
                  "a container listens on a fixed port: give --port (default 8080), not 0"),
            Check(("knative",), lambda c: c.port not in KNATIVE_RESERVED_PORTS,
                  "port {config.port} is used by Knative's queue-proxy in the pod; pick another --port"),
        ),
        meaning="the container port; the platform sets PORT to it (PORT itself is reserved)",
    ),
    Setting(
        "host",
        env_on=(),
        checks=(
            Check(PLATFORMS, _listens_everywhere,
                  "--host {config.host} would make the container unreachable: the platform's proxy "
                  "connects from outside the container, so it must listen on 0.0.0.0 (the default)"),
        ),
        meaning="always 0.0.0.0 in a container",
    ),
    Setting(
        "concurrency",
        places={"knative": CONCURRENCY, "cloudrun": CONCURRENCY},
        always=True,
        meaning="containerConcurrency: requests in flight per instance at most",
    ),
    Setting(
        "timeout",
        places={"knative": TIMEOUT, "cloudrun": TIMEOUT},
        convert=lambda seconds: max(1, math.ceil(seconds)),
        always=True,
        checks=(
            Check(("cloudrun",), lambda c: c.timeout <= CLOUD_RUN_MAX_TIMEOUT,
                  f"Cloud Run allows a request timeout of at most {CLOUD_RUN_MAX_TIMEOUT} s (60 "
                  "minutes); got --timeout {config.timeout:g}. Lower it, or move long work to a "
                  "Cloud Run job"),
            Check(("knative",), lambda c: c.timeout <= KNATIVE_DEFAULT_MAX_TIMEOUT,
                  f"Knative refuses a timeout over {KNATIVE_DEFAULT_MAX_TIMEOUT} s unless the "
                  "cluster's config-defaults raises max-revision-timeout-seconds; --timeout "
                  "{config.timeout:g} needs that", warn=True),
        ),
        meaning="timeoutSeconds: the platform answers 504 after it",
    ),
    Setting(
        "grace",
        always=True,
        checks=(
            Check(("cloudrun",), lambda c: c.grace <= CLOUD_RUN_SIGKILL_AFTER,
                  f"Cloud Run sends SIGKILL {CLOUD_RUN_SIGKILL_AFTER} s after SIGTERM, so "
                  "--grace {config.grace:g} cannot be honoured there: in-flight work would be killed "
                  f"before lastword reports it. Use --grace {CLOUD_RUN_SIGKILL_AFTER} or less"),
            Check(("knative",), lambda c: c.grace <= max(1, math.ceil(c.timeout)),
                  "Knative gives a stopping pod its revision timeout ({config.timeout:g} s, "
                  "--timeout) before SIGKILL, less than --grace {config.grace:g}: lower --grace or "
                  "raise --timeout"),
        ),
        meaning="seconds to drain after SIGTERM; Cloud Run kills 10 s after SIGTERM, Knative after "
        "timeoutSeconds (the pod's terminationGracePeriodSeconds)",
    ),
    Setting(
        "cpu",
        places={"cloudrun": CPU_THROTTLING},
        convert=lambda cpu: "false" if cpu == "always" else "true",
        always=True,
        meaning="Cloud Run's run.googleapis.com/cpu-throttling annotation (\"false\" for always); "
        "Knative never throttles, so there lastword alone applies it",
    ),
    Setting(
        "memory",
        places={"knative": MEMORY, "cloudrun": MEMORY},
        meaning="resources.limits.memory: the instance is replaced when it exceeds it",
    ),
    Setting("background", meaning="lastword only"),
    Setting("workers", meaning="lastword only"),
    Setting("threads", meaning="lastword only (default: 4 per CPU of the instance)"),
    Setting("tracking", meaning="lastword only"),
    Setting("log_format", meaning="lastword only (json on the platform, which sets K_SERVICE)"),
    Setting("request_log", meaning="lastword only (off on the platform, which logs each request)"),
    Setting("service", env_on=(), meaning="set by the platform (K_SERVICE), never by lastword"),
    Setting("log_execution_id", meaning="lastword only"),
    Setting("debug", meaning="lastword only"),
    Setting(
        "reload",
        env_on=(),
        checks=(
            Check(PLATFORMS, lambda c: c.reload is not True,
                  "--reload watches files for changes, which a deployed container never has: "
                  "leave it out of deploy"),
        ),
    ),
    Setting(
        "report_header",
        env_on=(),
        checks=(
            Check(PLATFORMS, lambda c: not c.report_header,
                  "LASTWORD_REPORT_HEADER adds each report to its response for lastword.testing; "
                  "don't send it to your clients: unset it for deploy"),
        ),
    ),
)

_DEFAULTS = Config()


def check(config: Config, platform: Platform) -> list[str]:
    """Refuse (:class:`DeployError`) a configuration the platform cannot honour; return the
    warnings about values it may not accept."""
    warnings: list[str] = []
    for setting in SETTINGS:
        for rule in setting.checks:
            if platform in rule.platforms and not rule.ok(config):
                message = rule.message.format(config=config)
                if not rule.warn:
                    raise DeployError(message)
                warnings.append(message)
    return warnings


def env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def environment(config: Config, platform: Platform) -> dict[str, str]:
    """The variables to set in the container: the settings that differ from lastword's defaults,
    and those the platform must agree on (``always``)."""
    found: dict[str, str] = {}
    for setting in SETTINGS:
        env = setting.env
        if env is None or platform not in setting.env_on:
            continue
        value = getattr(config, setting.field)
        default = getattr(_DEFAULTS, setting.field)
        if value is None or (value == default and not setting.always):
            continue
        found[env] = env_value(value)
    return found


def placements(config: Config, platform: Platform) -> list[tuple[Path, Any]]:
    """(path from ``spec.template``, value) for each setting the platform takes in its manifest."""
    placed: list[tuple[Path, Any]] = []
    for setting in SETTINGS:
        path = setting.places.get(platform)
        value = getattr(config, setting.field)
        if path is not None and value is not None:
            placed.append((path, setting.convert(value)))
    return placed
