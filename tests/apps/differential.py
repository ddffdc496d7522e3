"""One source served by functions-framework 3.10.2 and by lastword in test_differential: the
functions are written as FF users write them (FF's decorators, Flask and Starlette APIs).

Event functions write what they received to ``$DIFF_OUT/<target>.json``. No ``from __future__
import annotations``: functions-framework's ``@typed`` cannot read a string annotation.
"""

import json
import os
from pathlib import Path

import flask
import functions_framework
import functions_framework.aio
from starlette.exceptions import HTTPException


class Refused(Exception):
    pass


@functions_framework.errorhandler(Refused)
def on_refused(error):
    return f"refused: {error}", 409


def _write(name: str, value: object) -> None:
    (Path(os.environ["DIFF_OUT"]) / f"{name}.json").write_text(json.dumps(value, sort_keys=True))


def _environment() -> str:
    return f"{os.environ['FUNCTION_TARGET']} {os.environ['FUNCTION_SIGNATURE_TYPE']}"


def _act(do) -> None:
    if do == "refuse":
        raise Refused("not today")
    if do == "crash":
        raise RuntimeError("boom")


@functions_framework.http
def http_sync(request):
    do = request.args.get("do")
    _act(do)
    if do == "env":
        return _environment()
    if do == "abort":
        flask.abort(400, "no such thing")
    if do == "none":
        return None
    return {"method": request.method, "json": request.get_json(silent=True), "args": dict(request.args)}


@functions_framework.aio.http
async def http_async(request):
    do = request.query_params.get("do")
    _act(do)
    if do == "env":
        return _environment()
    if do == "abort":
        raise HTTPException(status_code=400, detail="no such thing")
    body = await request.body()
    return {"method": request.method, "json": json.loads(body) if body else None}


def _cloud_event(event) -> dict:
    return {"attributes": dict(event.get_attributes()), "data": event.data}


@functions_framework.cloud_event
def ce_sync(cloud_event):
    _write("ce_sync", _cloud_event(cloud_event))
    if isinstance(cloud_event.data, dict):
        _act(cloud_event.data.get("do"))


@functions_framework.aio.cloud_event
async def ce_async(cloud_event):
    _write("ce_async", _cloud_event(cloud_event))
    if isinstance(cloud_event.data, dict):
        _act(cloud_event.data.get("do"))


def legacy(data, context):  # served with --signature-type event
    shown = data.decode("latin-1") if isinstance(data, bytes) else data
    _write("legacy", {"data": shown, "context": dict(vars(context)), "env": _environment()})
    if isinstance(data, dict):
        _act(data.get("do"))


class Greeting:
    def __init__(self, name: str):
        self.name = name

    @staticmethod
    def from_dict(value: dict) -> "Greeting":
        return Greeting(value["name"])

    def to_dict(self) -> dict:
        return {"greeting": f"Hello, {self.name}!"}


@functions_framework.typed
def typed_sync(greeting: Greeting):
    if greeting.name == "none":
        return None
    if greeting.name == "dict":
        return {"b": 1, "a": [1, 2]}
    _act(greeting.name)
    return Greeting(greeting.name)
