"""The conformance functions of functions-framework's ASGI mode, written as its users write them
(``functions_framework.aio``'s decorators, Starlette requests)."""

import asyncio
import json

import functions_framework.aio
from cloudevents.http import to_json

OUTPUT = "function_output.json"


def _write(text):
    with open(OUTPUT, "w") as out:
        out.write(text)


async def write_http(request):
    _write(json.dumps(await request.json()))
    return "OK", 200


async def write_cloud_event(cloud_event):
    _write(to_json(cloud_event).decode())


@functions_framework.aio.http
async def write_http_declarative(request):
    _write(json.dumps(await request.json()))
    return "OK", 200


@functions_framework.aio.cloud_event
async def write_cloud_event_declarative(cloud_event):
    _write(to_json(cloud_event).decode())


@functions_framework.aio.http
async def write_http_declarative_concurrent(request):
    await asyncio.sleep(1)
    return "OK", 200
