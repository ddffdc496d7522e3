"""Reads what functions-framework puts into the environment, at import and per request."""

import os

AT_IMPORT = os.environ["FUNCTION_TARGET"]  # FF sets it before importing the module


def show(request):
    return f"{AT_IMPORT} {os.environ['FUNCTION_TARGET']} {os.environ['FUNCTION_SIGNATURE_TYPE']}"


def on_event(data, context):
    if os.environ["FUNCTION_SIGNATURE_TYPE"] != "event":
        raise RuntimeError(os.environ["FUNCTION_SIGNATURE_TYPE"])
