"""One typed configuration object, built from defaults < environment < flags < source code.

The option types are ``Literal`` aliases, reused by the CLI for its choices, so a value that is
accepted here is exactly a value the command line offers.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any, Literal, get_args

from ._errors import ConfigError
from ._signatures import SIGNATURE_TYPES, SignatureType, signature_type_named

BackgroundPolicy = Literal["warn", "wait", "cancel", "error"]
CpuAllocation = Literal["request", "always"]
LogFormat = Literal["text", "json"]

BACKGROUND_POLICIES: tuple[str, ...] = get_args(BackgroundPolicy)
CPU_ALLOCATIONS: tuple[str, ...] = get_args(CpuAllocation)
LOG_FORMATS: tuple[str, ...] = get_args(LogFormat)

HEALTH_PATH = "/_lastword/health"
"""Answered by the runtime itself (200 while serving, 503 while draining), never by the function:
the path of the platform's startup and readiness probes."""

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def default_threads() -> int:
    """Like functions-framework: four threads per CPU."""
    return 4 * (os.cpu_count() or 1)


@dataclasses.dataclass(frozen=True)
class Config:
    """Everything that decides how a function is served."""

    source: str = "main.py"
    target: str | None = None
    signature_type: SignatureType = "http"
    host: str = "0.0.0.0"
    port: int = 8080
    debug: bool = False
    workers: int = 1
    threads: int = dataclasses.field(default_factory=default_threads)
    log_format: LogFormat | None = None
    """``None`` means: json on Cloud Run or Knative (``K_SERVICE`` is set), text anywhere else."""
    request_log: bool | None = None
    """A request line per invocation; ``None`` means: on, except on Cloud Run or Knative, whose
    platform logs every request already."""
    service: str | None = None
    """``K_SERVICE``: the Cloud Run / Knative service this instance serves (set by the platform)."""
    log_execution_id: bool = False
    background: BackgroundPolicy = "warn"
    """What to do with work still running when the response goes out."""
    cpu: CpuAllocation = "request"
    """``request``: CPU only while a request is served (the platform default); ``always``."""
    timeout: float = 300.0
    """Seconds an invocation may run (Cloud Run's default request timeout)."""
    tracking: bool = True
    """Track the background work of each invocation."""
    report_header: bool = False
    """Add an ``X-Lastword-Report`` header (JSON) to each response, for lastword.testing."""
    concurrency: int = 80
    """Invocations in flight per instance at most (Cloud Run's default; 1 to 1000)."""
    grace: float = 10.0
    """Seconds in-flight work gets to finish after SIGTERM (Cloud Run sends SIGKILL 10 s later)."""
    memory: str | None = None
    """Memory limit per instance as a Kubernetes quantity (``512Mi``, ``1Gi``); None: no limit."""
    reload: bool | None = None
    """Restart the workers when a file of the source folder changes; ``None``: as ``debug``."""

    @classmethod
    def build(
        cls, env: Mapping[str, str] | None = None, flags: Mapping[str, Any] | None = None
    ) -> Config:
        """Defaults, overridden by ``env``, overridden by ``flags`` (``None`` flags are unset)."""
        values: dict[str, Any] = {}
        for var, name in ENVIRONMENT.items():
            if env is not None and var in env:
                try:
                    values[name] = _coerce(name, env[var])
                except ConfigError as exc:
                    raise ConfigError(f"environment variable {var}={env[var]!r}: {exc}") from None
        for name, value in (flags or {}).items():
            if value is not None:
                values[name] = value
        return cls()._replace_checked(values)

    def replace(self, **changes: Any) -> Config:
        return self._replace_checked(changes)

    def _replace_checked(self, values: Mapping[str, Any]) -> Config:
        fields = {f.name: f for f in dataclasses.fields(self)}
        clean: dict[str, Any] = {}
        for name, value in values.items():
            if name not in fields:
                raise ConfigError(f"unknown configuration option {name!r}")
            clean[name] = _coerce(name, value)
        return dataclasses.replace(self, **clean)

    @property
    def memory_bytes(self) -> int | None:
        return None if self.memory is None else parse_quantity(self.memory)

    @property
    def on_platform(self) -> bool:
        """Running on Cloud Run or Knative (the platform sets ``K_SERVICE``)."""
        return bool(self.service)

    @property
    def effective_log_format(self) -> LogFormat:
        """JSON for the platform's log agent; text for a person, also when output is piped
        (``| tee``), in an IDE's console or in a local container."""
        if self.log_format is not None:
            return self.log_format
        return "json" if self.on_platform else "text"

    @property
    def effective_reload(self) -> bool:
        """--debug is for a person at a keyboard: it reloads on a change unless told not to."""
        return self.reload if self.reload is not None else self.debug

    @property
    def effective_request_log(self) -> bool:
        if self.request_log is not None:
            return self.request_log
        return self.debug or not self.on_platform


ENVIRONMENT: Mapping[str, str] = {
    "PORT": "port",
    "HOST": "host",
    "FUNCTION_TARGET": "target",
    "FUNCTION_SOURCE": "source",
    "FUNCTION_SIGNATURE_TYPE": "signature_type",
    "LOG_EXECUTION_ID": "log_execution_id",
    "LASTWORD_LOG_FORMAT": "log_format",
    "LASTWORD_REQUEST_LOG": "request_log",
    "K_SERVICE": "service",
    "LASTWORD_BACKGROUND": "background",
    "LASTWORD_CPU": "cpu",
    "CLOUD_RUN_TIMEOUT_SECONDS": "timeout",
    "LASTWORD_TIMEOUT": "timeout",
    "LASTWORD_TRACKING": "tracking",
    "LASTWORD_REPORT_HEADER": "report_header",
    "WORKERS": "workers",
    "THREADS": "threads",
    "LASTWORD_WORKERS": "workers",
    "LASTWORD_THREADS": "threads",
    "LASTWORD_CONCURRENCY": "concurrency",
    "LASTWORD_GRACE": "grace",
    "LASTWORD_MEMORY": "memory",
    "LASTWORD_RELOAD": "reload",
    "DEBUG": "debug",
}
"""Environment variable -> configuration field; where two name one field, the later one wins."""

_CHOICES: dict[str, tuple[str, ...]] = {
    "background": BACKGROUND_POLICIES,
    "cpu": CPU_ALLOCATIONS,
    "log_format": LOG_FORMATS,
}
_INTS = {"port": (0, 65535), "workers": (1, 1024), "threads": (1, 10000), "concurrency": (1, 1000)}
_SECONDS = {"timeout", "grace"}
_BOOLS = {"debug", "log_execution_id", "tracking", "report_header", "reload", "request_log"}
_UNITS = {"": 1, "k": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4,
          "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "Ti": 1024**4}


def parse_quantity(text: str) -> int:
    """Bytes in a Kubernetes memory quantity: ``512Mi``, ``1Gi``, ``1.5G``, ``268435456``."""
    value = text.strip()
    number = value.rstrip("kMGTi")
    unit = value[len(number):]
    try:
        amount = float(number)
    except ValueError:
        amount = -1.0
    if unit not in _UNITS or amount <= 0:
        raise ConfigError(
            f"memory must be a size such as 512Mi, 1Gi or 2G (a Kubernetes quantity); got {text!r}"
        )
    return int(amount * _UNITS[unit])


def _coerce(name: str, value: Any) -> Any:
    if name == "signature_type":
        found = signature_type_named(str(value))
        if found is None:
            raise ConfigError(
                f"signature-type must be one of {', '.join(SIGNATURE_TYPES)}; got {value!r}"
            )
        return found
    if name in _CHOICES:
        text = str(value).strip().lower()
        if text not in _CHOICES[name]:
            raise ConfigError(
                f"{name.replace('_', '-')} must be one of {', '.join(_CHOICES[name])}; got {value!r}"
            )
        return text
    if name in _INTS:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{name} must be a whole number; got {value!r}") from None
        low, high = _INTS[name]
        if not low <= number <= high:
            raise ConfigError(f"{name} must be between {low} and {high}; got {number}")
        return number
    if name in _SECONDS:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{name} must be a number of seconds; got {value!r}") from None
        if seconds <= 0 or seconds != seconds:
            raise ConfigError(f"{name} must be positive; got {seconds}")
        return seconds
    if name == "memory":
        if value is None:
            return None
        parse_quantity(str(value))
        return str(value).strip()
    if name in _BOOLS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigError(f"{name.replace('_', '-')} must be true or false; got {value!r}")
    if name in ("target", "source", "host", "service"):
        return None if value is None else str(value)
    return value
