"""Conformance functions written as functions-framework users write them (FF's decorators), the
way the official conformance client expects: each writes what it received to
``function_output.json`` in the server's working directory."""

import json
import time

import functions_framework
from cloudevents.http import to_json

OUTPUT = "function_output.json"


def _write(text):
    with open(OUTPUT, "w") as out:
        out.write(text)


def write_http(request):
    _write(json.dumps(request.get_json()))
    return "OK", 200


def write_legacy_event(data, context):
    _write(
        json.dumps(
            {
                "data": data,
                "context": {
                    "eventId": context.event_id,
                    "timestamp": context.timestamp,
                    "eventType": context.event_type,
                    "resource": context.resource,
                },
            }
        )
    )


def write_cloud_event(cloud_event):
    _write(to_json(cloud_event).decode())


@functions_framework.http
def write_http_declarative(request):
    _write(json.dumps(request.get_json()))
    return "OK", 200


@functions_framework.cloud_event
def write_cloud_event_declarative(cloud_event):
    _write(to_json(cloud_event).decode())


@functions_framework.http
def write_http_declarative_concurrent(request):
    time.sleep(1)
    return "OK", 200


class ConformanceRequest:
    def __init__(self, document):
        self.document = document

    @staticmethod
    def from_dict(value):
        return ConformanceRequest(value)


class ConformanceResponse:
    def __init__(self, payload):
        self.payload = payload

    def to_dict(self):
        return {"payload": self.payload}


@functions_framework.typed(ConformanceRequest)
def write_typed_event_declarative(request):
    _write(json.dumps(request.document))
    return ConformanceResponse(request.document)
