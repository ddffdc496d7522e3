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
        ({"PORT": "x"}, "port must be a whole number; got 'x'"),
        ({"PORT": "70000"}, "port must be between 0 and 65535; got 70000"),
        ({"FUNCTION_SIGNATURE_TYPE": "grpc"}, "signature-type must be one of http, cloudevent, event, typed; got 'grpc'"),
        ({"LASTWORD_BACKGROUND": "ignore"}, "background must be one of warn, wait, cancel, error; got 'ignore'"),
        ({"LOG_EXECUTION_ID": "maybe"}, "log-execution-id must be true or false; got 'maybe'"),
        ({"LASTWORD_TIMEOUT": "-1"}, "timeout must be positive"),
    ],
)
def test_bad_values_are_explained(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Config.build(env=env)


def test_booleans_and_aliases() -> None:
    config = Config.build(env={"LOG_EXECUTION_ID": "True", "LASTWORD_TRACKING": "off", "FUNCTION_SIGNATURE_TYPE": "cloud_event"})
    assert config.log_execution_id is True and config.tracking is False
    assert config.signature_type == "cloudevent"
