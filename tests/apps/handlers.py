"""Error handlers registered both ways, for every signature type, sync and async.

``Refused`` is handled by functions-framework's ``errorhandler`` (as an FF user writes it),
``KeyError`` by lastword's; anything else is a crash.
"""

from __future__ import annotations

import dataclasses

import flask
import functions_framework
import functions_framework.aio

import lastword


class Refused(Exception):
    pass


@functions_framework.errorhandler(Refused)
def on_refused(error):
    return f"refused: {error}", 409


@lastword.errorhandler(KeyError)
def on_missing(error):
    return {"missing": error.args[0]}, 404


@lastword.errorhandler(LookupError)  # KeyError's base: the more specific handler wins
def on_lookup(error):
    return "lookup", 410


def _raise(kind: str) -> None:
    if kind == "refused":
        raise Refused("not today")
    if kind == "missing":
        raise KeyError("sku")
    if kind == "index":
        raise IndexError("no such item")  # a LookupError: on_lookup answers
    if kind == "crash":
        raise RuntimeError("boom")


@functions_framework.http
def http_sync(request):
    _raise(request.args["raise"])
    return "fine"


@functions_framework.aio.http
async def http_async(request):
    _raise(request.query_params["raise"])
    return "fine"


@functions_framework.cloud_event
def ce_sync(cloud_event):
    _raise(cloud_event.data["raise"])


@functions_framework.aio.cloud_event
async def ce_async(cloud_event):
    _raise(cloud_event.data["raise"])


@lastword.event
def legacy_sync(data, context):
    _raise(data["raise"])


@lastword.event
async def legacy_async(data, context):
    _raise(data["raise"])


@dataclasses.dataclass
class Raise:
    kind: str


@lastword.typed
def typed_sync(what: Raise):
    _raise(what.kind)
    return {"fine": True}


@lastword.typed
async def typed_async(what: Raise):
    _raise(what.kind)
    return {"fine": True}


class Teapot(Exception):
    pass


@functions_framework.errorhandler(Teapot)
def on_teapot(error):
    # a handler of a sync function runs in a Flask request context, as under functions-framework
    return flask.jsonify(path=flask.request.path, error=str(error)), 418


@functions_framework.cloud_event
def ce_teapot(cloud_event):
    raise Teapot("short and stout")
