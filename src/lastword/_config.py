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

SignatureType = Literal["http", "cloudevent", "event", "typed"]
BackgroundPolicy = Literal["warn", "wait", "cancel", "error"]
CpuAllocation = Literal["request", "always"]
LogFormat = Literal["text", "json"]

SIGNATURE_TYPES: tuple[str, ...] = get_args(SignatureType)
BACKGROUND_POLICIES: tuple[str, ...] = get_args(BackgroundPolicy)
CPU_ALLOCATIONS: tuple[str, ...] = get_args(CpuAllocation)
LOG_FORMATS: tuple[str, ...] = get_args(LogFormat)

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
    """``None`` means: json when stdout is not a terminal, text otherwise."""
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

    @classmethod
    def build(
        cls, env: Mapping[str, str] | None = None, flags: Mapping[str, Any] | None = None
    ) -> Config:
        """Defaults, overridden by ``env``, overridden by ``flags`` (``None`` flags are unset)."""
        values: dict[str, Any] = {}
        for var, name in ENVIRONMENT.items():
            if env is not None and var in env:
                values[name] = env[var]
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
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        import sys

        return "text" if sys.stdout.isatty() else "json"


ENVIRONMENT: Mapping[str, str] = {
    "PORT": "port",
    "HOST": "host",
    "FUNCTION_TARGET": "target",
    "FUNCTION_SOURCE": "source",
    "FUNCTION_SIGNATURE_TYPE": "signature_type",
    "LOG_EXECUTION_ID": "log_execution_id",
    "LASTWORD_LOG_FORMAT": "log_format",
    "LASTWORD_BACKGROUND": "background",
    "LASTWORD_CPU": "cpu",
    "LASTWORD_TIMEOUT": "timeout",
    "LASTWORD_TRACKING": "tracking",
    "LASTWORD_REPORT_HEADER": "report_header",
    "LASTWORD_WORKERS": "workers",
    "LASTWORD_THREADS": "threads",
    "DEBUG": "debug",
}
"""Environment variable -> configuration field."""

_CHOICES: dict[str, tuple[str, ...]] = {
    "signature_type": SIGNATURE_TYPES,
    "background": BACKGROUND_POLICIES,
    "cpu": CPU_ALLOCATIONS,
    "log_format": LOG_FORMATS,
}
_INTS = {"port": (0, 65535), "workers": (1, 1024), "threads": (1, 10000)}
_BOOLS = {"debug", "log_execution_id", "tracking", "report_header"}


def _coerce(name: str, value: Any) -> Any:
    if name in _CHOICES:
        text = str(value).strip().lower()
        if name == "signature_type" and text == "cloud_event":
            text = "cloudevent"
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
    if name == "timeout":
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"timeout must be a number of seconds; got {value!r}") from None
        if seconds <= 0:
            raise ConfigError(f"timeout must be positive; got {seconds}")
        return seconds
    if name in _BOOLS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigError(f"{name.replace('_', '-')} must be true or false; got {value!r}")
    if name in ("target", "source", "host"):
        return None if value is None else str(value)
    return value
