"""CloudEvent benchmark functions: plain functions, no decorators, served with
``--signature-type cloudevent`` by both runtimes (``--asgi`` for the async one under
functions-framework). Each reads the event's data, as a real function would."""

from typing import Any


def ce_sync(cloud_event: Any) -> None:
    if len(cloud_event.data["items"]) != 8:
        raise ValueError("unexpected event data")


async def ce_async(cloud_event: Any) -> None:
    if len(cloud_event.data["items"]) != 8:
        raise ValueError("unexpected event data")
