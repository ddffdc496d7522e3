"""The configuration object: defaults < environment < flags (< source, see test_loader)."""

from __future__ import annotations

import pytest

from lastword import Config
from lastword._errors import ConfigError


def test_defaults_follow_the_contract() -> None:
    config = Config()
    assert (config.port, config.source, config.signature_type, config.target) == (8080, "main.py", "http", None)
    assert config.background == "warn" and config.cpu == "request" and config.tracking


def test_environment_then_flags() -> None:
    env = {"PORT": "9000", "FUNCTION_TARGET": "env_target", "FUNCTION_SIGNATURE_TYPE": "cloudevent", "HOST": "::1"}
    config = Config.build(env=env, flags={"target": "flag_target", "port": None})
    assert config.port == 9000  # a None flag is unset
    assert config.target == "flag_target"
    assert config.signature_type == "cloudevent"
    assert config.host == "::1"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "x"}, "environment variable PORT='x': port must be a whole number; got 'x'"),
        ({"PORT": "70000"}, "port must be between 0 and 65535; got 70000"),
        ({"FUNCTION_SIGNATURE_TYPE": "grpc"}, "signature-type must be one of http, cloudevent, event, typed; got 'grpc'"),
        ({"LASTWORD_BACKGROUND": "ignore"}, "LASTWORD_BACKGROUND='ignore': background must be one of warn, wait, cancel, error; got 'ignore'"),
        ({"LOG_EXECUTION_ID": "maybe"}, "log-execution-id must be true or false; got 'maybe'"),
        ({"LASTWORD_TIMEOUT": "-1"}, "timeout must be positive"),
        ({"CLOUD_RUN_TIMEOUT_SECONDS": "soon"}, "CLOUD_RUN_TIMEOUT_SECONDS='soon': timeout must be a number"),
        ({"LASTWORD_MEMORY": "lots"}, "LASTWORD_MEMORY='lots': memory must be a size such as 512Mi"),
        ({"LASTWORD_CONCURRENCY": "0"}, "concurrency must be between 1 and 1000; got 0"),
    ],
)
def test_bad_values_are_explained(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Config.build(env=env)


def test_booleans_and_aliases() -> None:
    config = Config.build(env={"LOG_EXECUTION_ID": "True", "LASTWORD_TRACKING": "off", "FUNCTION_SIGNATURE_TYPE": "cloud_event"})
    assert config.log_execution_id is True and config.tracking is False
    assert config.signature_type == "cloudevent"


def test_platform_settings() -> None:
    """Concurrency, grace, memory and the platform's own timeout variable."""
    config = Config.build(env={"CLOUD_RUN_TIMEOUT_SECONDS": "60", "LASTWORD_MEMORY": "512Mi"})
    assert config.timeout == 60.0 and config.memory_bytes == 512 * 1024 * 1024
    assert (Config().concurrency, Config().grace, Config().memory_bytes) == (80, 10.0, None)
    both = Config.build(env={"CLOUD_RUN_TIMEOUT_SECONDS": "60", "LASTWORD_TIMEOUT": "5"})
    assert both.timeout == 5.0  # lastword's own variable wins over the platform's
    assert Config.build(flags={"memory": "1.5G"}).memory_bytes == 1_500_000_000
