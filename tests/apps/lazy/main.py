"""Plain functions whose module names no web framework: the request is made when first used."""

import sys

FRAMEWORKS = ("fl" + "ask", "werk" + "zeug", "star" + "lette", "jin" + "ja2")


def loaded() -> str:
    return ",".join(sorted(name for name in FRAMEWORKS if name in sys.modules)) or "none"


def hello(request):
    return "hello; loaded: " + loaded()


def reads(request):
    return {"name": request.args.get("name"), "json": request.get_json(silent=True), "loaded": loaded()}


def bad_json(request):
    return {"got": request.get_json()}


async def hello_async(request):
    return "hello; loaded: " + loaded()


async def reads_async(request):
    return {"path": request.url.path, "body": (await request.body()).decode(), "loaded": loaded()}


WATCHED = (
    "asyncio", "uvloop", "httptools", "fl" + "ask", "werk" + "zeug", "jin" + "ja2",
    "star" + "lette", "anyio", "click", "uvicorn", "multiprocessing", "concurrent.futures.process",
    "email.utils", "http.server", "cloudevents", "lastword._check", "lastword._deploy",
    "watchfiles",
)


def modules(request):
    """Which of the modules a start-up could import the worker has (it was forked from the
    supervisor: what either imported)."""
    return ",".join(name for name in WATCHED if name in sys.modules)
