"""Sync HTTP functions written for functions-framework-python (Flask requests)."""

import logging
import threading

import flask

logger = logging.getLogger("user")


def hello(request):
    return "Hello, World!"


def echo(request):
    """Everything the function saw of the request, as sent."""
    return flask.jsonify(
        method=request.method,
        path=request.path,
        raw_query=request.query_string.decode(),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=request.get_data(as_text=True),
        app=flask.current_app.name,
    )


def json_echo(request):
    return request.get_json()


def returns_none(request):
    request.get_data()


def falls_off(request):
    if request.args.get("never"):
        return "unreachable"


def crash(request):
    raise ValueError("secret detail that must not reach the client")


def abort_418(request):
    flask.abort(418)


def template(request):
    return flask.render_template("greeting.html", name=request.args.get("name", "world"))


def kinds(request):
    kind = request.args["kind"]
    if kind == "str":
        return "text"
    if kind == "bytes":
        return b"\x00\x01bytes"
    if kind == "dict":
        return {"a": 1}
    if kind == "list":
        return [1, 2, 3]
    if kind == "tuple2":
        return "created", 201
    if kind == "tuple3":
        return "teapot", 418, {"X-Custom": "yes"}
    if kind == "response":
        return flask.Response("resp", status=202, mimetype="text/csv")
    if kind == "generator":

        def generate():
            for i in range(3):
                yield f"chunk{i};"

        return generate()
    raise AssertionError(kind)


def returns_coroutine(request):
    async def work():
        return "never"

    return work()


def logs(request):
    print("printed line")
    logger.warning("logged line")

    def in_thread():
        logger.warning("thread line")

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    return "logged"


def two_params(request, extra):
    return "wrong"


def body_size(request):
    return {"size": len(request.get_data()), "json": request.get_json(silent=True)}


def http_exception(request):
    from werkzeug.exceptions import BadRequest

    raise BadRequest("the field name is required")
