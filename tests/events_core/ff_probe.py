"""Run requests through functions-framework-python (in this process, its Flask test client) and
print, as JSON, what its event functions received. Used by test_ff_parity in a subprocess, so
that functions-framework's global state (its registry, os.environ, sys.path) stays out of the
test process.

stdin: a JSON list of {"function": "cloudevent"|"event", "headers": [[name, value]...],
"body": base64, "path": "/..."}; stdout: a JSON list of {"status": int, "received": ...}.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

RECEIVED: list[Any] = []

FUNCTIONS = """
import sys

def on_cloud_event(event):
    sys.modules["__main__"].RECEIVED.append(("cloudevent", event))

def on_event(data, context):
    sys.modules["__main__"].RECEIVED.append(("event", data, context))
"""


def encode(value: Any) -> Any:
    """JSON for what a function received; bytes are marked as such."""
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode()}
    return value


def describe(received: tuple[Any, ...]) -> dict[str, Any]:
    if received[0] == "cloudevent":
        event = received[1]
        cls = type(event)
        return {
            "class": f"{cls.__module__}.{cls.__qualname__}",
            "attributes": [[k, v] for k, v in event.get_attributes().items()],
            "data": encode(event.data),
        }
    _, data, context = received
    return {"data": encode(data), "context": dict(vars(context))}


def main() -> None:
    warnings.simplefilter("ignore")
    from functions_framework import create_app

    requests = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "main.py"
        source.write_text(FUNCTIONS)
        apps = {
            "cloudevent": create_app("on_cloud_event", str(source), "cloudevent").test_client(),
            "event": create_app("on_event", str(source), "event").test_client(),
        }
        results = []
        for request in requests:
            RECEIVED.clear()
            response = apps[request["function"]].post(
                request["path"],
                headers=[tuple(pair) for pair in request["headers"]],
                data=base64.b64decode(request["body"]),
            )
            received = describe(RECEIVED[0]) if RECEIVED else None
            results.append({"status": response.status_code, "received": received})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
