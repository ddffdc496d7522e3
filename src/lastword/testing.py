"""Testing functions with lastword: a client that returns each response with its invocation report.

In-process (the function is served by a real lastword server on a thread of the test process)::

    from lastword.testing import Client

    def test_hello():
        with Client("main.py", target="hello") as client:
            result = client.get("/")
        assert result.status == 200

or against a server you started (``LASTWORD_REPORT_HEADER=1 lastword serve ...``)::

    Client(url="http://127.0.0.1:8080")

By default a request whose function left work running after its response raises
:class:`LeftoverWork` (an ``AssertionError``), so the test fails with lastword's report. Pass
``allow_leftovers=True`` to inspect ``result.report`` yourself.

Event and typed functions are called the same way: ``client.cloud_event(...)`` sends a CloudEvent
(binary or structured content mode), ``client.event(...)`` a legacy event, either built from the
attributes you give or from a sample (``sample="pubsub"``); a typed function takes
``client.post("/", json_body={...})``. The result carries the invocation's report, so a test sees
an event function's leftover work exactly as an HTTP function's.

The pytest plugin provides the ``lastword_client`` fixture: a factory with the same arguments
as :class:`Client`, closed when the test ends.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import json
import threading
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from ._report_data import InvocationReport, WorkReport

__all__ = ["Client", "InvocationReport", "LeftoverWork", "Result", "WorkReport", "lastword_client"]


class LeftoverWork(AssertionError):
    """The function left background work running when its response was sent."""


@dataclasses.dataclass
class Result:
    """A response and the report of the invocation that produced it."""

    status: int
    headers: http.client.HTTPMessage
    content: bytes
    report: InvocationReport | None

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class Client:
    """Calls a function in-process (``source``/``target``) or on a running server (``url``)."""

    def __init__(
        self,
        source: str | None = None,
        target: str | None = None,
        *,
        url: str | None = None,
        allow_leftovers: bool = False,
        timeout: float = 30.0,
        **options: Any,
    ):
        if (source is None) == (url is None):
            raise TypeError("give either a source file (in-process) or the url of a running server")
        self.allow_leftovers = allow_leftovers
        self.timeout = timeout
        self._server: _InProcessServer | None = None
        self._reports: dict[str, InvocationReport] = {}
        if source is not None:
            self._server = _InProcessServer(source, target, options, self._reports)
            url = self._server.start()
        assert url is not None
        parsed = urllib.parse.urlsplit(url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 80
        self.base = parsed.path.rstrip("/")

    # --- requests -----------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str = "/",
        *,
        body: bytes | str | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Result:
        send_headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body)
            send_headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        execution_id = send_headers.setdefault("Function-Execution-Id", uuid.uuid4().hex[:12])
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, self.base + path, body=body, headers=send_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        report = self._report(execution_id, response.headers)
        result = Result(response.status, response.headers, content, report)
        if report is not None and report.leftovers and not self.allow_leftovers:
            raise LeftoverWork(
                f"{report.function}() left {len(report.leftovers)} piece(s) of work behind "
                f"(invocation {report.id}):\n" + "\n".join(str(w) for w in report.leftovers)
            )
        return result

    def get(self, path: str = "/", **kwargs: Any) -> Result:
        return self.request("GET", path, **kwargs)

    def cloud_event(
        self,
        event: Mapping[str, Any] | None = None,
        *,
        sample: str | None = None,
        mode: str = "binary",
        path: str = "/",
        headers: Mapping[str, str] | None = None,
    ) -> Result:
        """POST a CloudEvent: ``event`` in its structured JSON form (``type``, ``source``,
        ``data``...; ``specversion`` and ``id`` are filled in when missing), or a sample of that
        kind (``sample="pubsub"``, ``"storage"``, ``"firestore"``...). ``mode`` is ``binary``
        (the default, as Eventarc and Pub/Sub push send it), ``structured`` or ``legacy``
        (converted to the legacy event it stands for)."""
        from ._events import encode_event, sample_event

        if (event is None) == (sample is None):
            raise TypeError("give either an event (a mapping) or sample=KIND")
        if sample is not None:
            full = sample_event(sample)
        else:
            full = {"specversion": "1.0", "id": uuid.uuid4().hex, **dict(event or {})}
        sent, body = encode_event(full, mode)  # type: ignore[arg-type]
        return self.post(path, body=body, headers={**dict(sent), **dict(headers or {})})

    def event(
        self,
        data: Any = None,
        context: Mapping[str, Any] | None = None,
        *,
        sample: str | None = None,
        path: str = "/",
        headers: Mapping[str, str] | None = None,
    ) -> Result:
        """POST a legacy (background) event: ``data`` with a ``context`` (``eventId``,
        ``timestamp``, ``eventType``, ``resource``; an id and a timestamp are filled in when
        missing), or a sample of that kind converted to its legacy form (``sample="storage"``)."""
        if sample is not None:
            return self.cloud_event(sample=sample, mode="legacy", path=path, headers=headers)
        from ._events._samples import _now

        full = {"eventId": uuid.uuid4().hex, "timestamp": _now(), **dict(context or {})}
        sent = {"Content-Type": "application/json", **dict(headers or {})}
        return self.post(path, body=json.dumps({"context": full, "data": data}), headers=sent)

    def post(self, path: str = "/", **kwargs: Any) -> Result:
        return self.request("POST", path, **kwargs)

    def _report(self, execution_id: str, headers: http.client.HTTPMessage) -> InvocationReport | None:
        if self._server is not None:
            return self._server.wait_report(execution_id, self.timeout)
        raw = headers.get("X-Lastword-Report")
        return InvocationReport.from_json(raw) if raw else None

    # --- lifetime -----------------------------------------------------------------------------
    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _InProcessServer:
    """A real lastword server (the same as `lastword serve` builds, tracking on) on a thread of this
    process."""

    def __init__(
        self,
        source: str,
        target: str | None,
        options: dict[str, Any],
        reports: dict[str, InvocationReport],
    ):
        self.source = source
        self.target = target
        self.options = options
        self.reports = reports
        self.arrived = threading.Condition()
        self.thread: threading.Thread | None = None
        self.server: Any = None
        self.loop: Any = None
        self.stopping: Any = None
        self.failure: BaseException | None = None
        self.tracking = False

    def observe(self, invocation: Any) -> None:
        from ._report_data import report_of

        with self.arrived:
            self.reports[invocation.id] = report_of(invocation)
            self.arrived.notify_all()

    def start(self) -> str:
        import asyncio

        from . import _tracking
        from ._config import Config
        from ._loader import load
        from ._serving.listen import bind
        from ._serving.server import build

        config = Config.build(
            flags={"source": self.source, "target": self.target, "host": "127.0.0.1", "port": 0, **self.options}
        )
        before = _ENVIRONMENT.snapshot()
        _ENVIRONMENT.hold(self, before)
        try:
            loaded, config = load(config)  # sets FUNCTION_TARGET..., as in production
        except BaseException:
            _ENVIRONMENT.release(self)
            raise
        _ENVIRONMENT.loaded(self)
        if config.tracking:
            _tracking.install()  # given back in stop(): the last client's stop removes the hooks
            self.tracking = True
        app, self.server = build(loaded, config, observer=self.observe)
        sock = bind("127.0.0.1", 0)
        sock.listen(2048)
        port = sock.getsockname()[1]
        started = threading.Event()

        def serve() -> None:
            self.loop = _tracking.new_event_loop()
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(self._serve(sock, started))
            except BaseException as exc:  # reported to the test by start()
                self.failure = exc
                started.set()
            finally:
                _tracking.close_loop(self.loop)

        self.thread = threading.Thread(target=serve, name="lastword-testing-server", daemon=True)
        _tracking.start_untracked(self.thread)
        started.wait(30)
        if self.failure is not None:
            self.stop()
            raise self.failure
        return f"http://127.0.0.1:{port}"

    async def _serve(self, sock: Any, started: threading.Event) -> None:
        import asyncio

        self.stopping = asyncio.Event()
        await self.server.start()
        await self.server.listen(sock)
        started.set()
        await self.stopping.wait()
        await self.server.drain(self.server.app.config.grace)
        await self.server.stop()

    def wait_report(self, execution_id: str, timeout: float) -> InvocationReport | None:
        with self.arrived:
            self.arrived.wait_for(lambda: execution_id in self.reports, timeout)
            return self.reports.pop(execution_id, None)

    def request_stop(self) -> None:
        """Begin stopping (drain), without waiting."""
        if self.loop is not None and self.stopping is not None and not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                self.loop.call_soon_threadsafe(self.stopping.set)

    def stop(self) -> None:
        """Stop the server, and leave the process as it was found."""
        self.request_stop()
        if self.thread is not None:
            self.thread.join(15)
            self.thread = None
        if self.tracking:
            from . import _tracking

            _tracking.uninstall()
            self.tracking = False
        _ENVIRONMENT.release(self)


class _LoadedEnvironment:
    """Who put FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE into this process's environment.

    Loading a function sets them, as functions-framework does and as the function may read. The
    environment is process-wide, so this bookkeeping is too: while in-process servers run, it holds
    what the most recent one loaded; when the last one stops, what was there before the first.
    """

    names = ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE")

    def __init__(self) -> None:
        self.original: dict[str, str | None] = {}
        self.holders: list[tuple[object, dict[str, str | None]]] = []
        self.lock = threading.Lock()

    def snapshot(self) -> dict[str, str | None]:
        import os

        return {name: os.environ.get(name) for name in self.names}

    def hold(self, holder: object, before: dict[str, str | None]) -> None:
        """``holder`` is about to load a function (``before``: the environment now)."""
        with self.lock:
            if not self.holders:
                self.original = before
            self.holders.append((holder, before))

    def loaded(self, holder: object) -> None:
        """``holder`` loaded its function: remember what that put into the environment."""
        with self.lock:
            self.holders = [(h, self.snapshot() if h is holder else v) for h, v in self.holders]

    def release(self, holder: object) -> None:
        import os

        with self.lock:
            if not any(h is holder for h, _ in self.holders):
                return
            self.holders = [(h, v) for h, v in self.holders if h is not holder]
            values = self.holders[-1][1] if self.holders else self.original
            for name, value in values.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


_ENVIRONMENT = _LoadedEnvironment()


try:  # the pytest plugin (registered through the pytest11 entry point)
    import pytest

    @pytest.fixture
    def lastword_client() -> Iterator[Any]:
        """A factory: ``lastword_client("main.py", target="hello", background="warn")``."""
        clients: list[Client] = []

        def make(*args: Any, **kwargs: Any) -> Client:
            client = Client(*args, **kwargs)
            clients.append(client)
            return client

        yield make
        for client in clients:
            client.close()

except ImportError:  # pragma: no cover - pytest is optional
    pass
