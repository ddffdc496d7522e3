"""Event and typed functions declared with lastword's decorators, sync and async.

Each event function writes what it received to ``$EVENTS_OUT/<target>.json`` (as the official
conformance client's functions write ``function_output.json``), so a test can read it back.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import threading
import time
from pathlib import Path

import pydantic

import lastword


def _write(name: str, value: object) -> None:
    out = Path(os.environ["EVENTS_OUT"]) / f"{name}.json"
    out.write_text(json.dumps(value, default=repr))


def _cloud_event(event) -> dict:
    return {"attributes": dict(event.get_attributes()), "data": event.data}


def _legacy(data, context) -> dict:
    if isinstance(data, bytes):
        data = {"bytes": data.decode("latin-1")}
    return {"data": data, "context": dict(vars(context))}


# --- cloudevent ---------------------------------------------------------------------------------


@lastword.cloud_event
def ce_sync(cloud_event):
    _write("ce_sync", _cloud_event(cloud_event))


@lastword.cloud_event
async def ce_async(cloud_event):
    await asyncio.sleep(0)
    _write("ce_async", _cloud_event(cloud_event))


@lastword.cloud_event
def ce_crash(cloud_event):
    raise RuntimeError("the database is down")


@lastword.cloud_event
async def ce_crash_async(cloud_event):
    raise RuntimeError("the database is down")


@lastword.cloud_event
def ce_returns(cloud_event):
    return {"ignored": True}  # an event function's return value is not a response


# --- legacy event -------------------------------------------------------------------------------


@lastword.event
def legacy_sync(data, context):
    _write("legacy_sync", _legacy(data, context))


@lastword.event
async def legacy_async(data, context):
    await asyncio.sleep(0)
    _write("legacy_async", _legacy(data, context))


# --- typed --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Item:
    sku: str
    quantity: int = 1


@dataclasses.dataclass
class Order:
    customer: str
    items: list[Item]
    note: str | None = None


@lastword.typed
def typed_dataclass(order: Order) -> dict:
    return {"customer": order.customer, "count": sum(i.quantity for i in order.items)}


class Greeting:
    """functions-framework's contract: from_dict in, to_dict out."""

    def __init__(self, name: str):
        self.name = name

    @classmethod
    def from_dict(cls, value: dict) -> Greeting:
        return cls(value["name"])

    def to_dict(self) -> dict:
        return {"greeting": f"Hello, {self.name}!"}


@lastword.typed(Greeting)
def typed_from_dict(greeting):
    return Greeting(greeting.name.upper())


class Temperature(pydantic.BaseModel):
    city: str
    celsius: float


class Reading(pydantic.BaseModel):
    city: str
    fahrenheit: float


@lastword.typed
async def typed_pydantic(t: Temperature) -> Reading:
    await asyncio.sleep(0)
    return Reading(city=t.city, fahrenheit=t.celsius * 9 / 5 + 32)


@lastword.typed
def typed_none(order: Order) -> None:
    return None


# --- lifecycle ----------------------------------------------------------------------------------


def _flush(label: str) -> None:
    time.sleep(0.3)
    _write(label, "flushed")


@lastword.cloud_event
def ce_leaves_thread(cloud_event):
    threading.Thread(target=_flush, args=("ce_leaves_thread",)).start()


@lastword.cloud_event
async def ce_leaves_task(cloud_event):
    asyncio.get_running_loop().create_task(asyncio.sleep(0.3))


@lastword.event
def legacy_leaves_thread(data, context):
    threading.Thread(target=_flush, args=("legacy_leaves_thread",)).start()


@lastword.typed
def typed_leaves_thread(order: Order) -> dict:
    threading.Thread(target=_flush, args=("typed_leaves_thread",)).start()
    return {"accepted": True}


@lastword.cloud_event
def ce_wait_until(cloud_event):
    lastword.wait_until(lambda: _flush("ce_wait_until"))


@lastword.event
async def legacy_wait_until(data, context):
    async def flush() -> None:
        await asyncio.sleep(0.2)
        _write("legacy_wait_until", "flushed")

    lastword.wait_until(flush())
