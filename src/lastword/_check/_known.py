"""What the checker knows about library APIs: which calls start work, which finish it.

Pure data. Each row of ``ROWS`` names calls and their effect (see ``_effects.Effect``);
``STEPS`` gives the types returned along call chains; ``WORK_METHODS`` says what methods
of started work (a thread, a future, a task) do to it. To teach the checker a library,
add rows here, with the documentation they come from.
"""

from __future__ import annotations

from ._effects import Effect as E
from ._effects import Known, Step, Table, WorkMethod, WorkOp

_EXECUTORS = ("Executor", "ThreadPool", "Pool")
_EXECUTOR_HINTS = ("executor", "pool", "workers")
_FIRESTORE_CLIENT = ("firestore.AsyncClient", "firestore_v1.AsyncClient", "async_client.AsyncClient")
_FS = "google.cloud.firestore."
_LOG_CALLS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "log")
_OTEL_FIX = (
    "call force_flush() (or shutdown()) on it, or on the provider it was given to, before "
    "returning (it exports from a worker thread)"
)
_SEGMENT_CALLS = ("track", "identify", "page", "screen", "group", "alias")
_SEGMENT_CLIENT = ("segment.analytics.Client", "segment.analytics.client.Client")
_QUERY_METHODS = (
    "where", "order_by", "limit", "limit_to_last", "offset", "select",
    "start_at", "start_after", "end_at", "end_before",
)

ROWS: tuple[Known, ...] = (
    # -- lastword and event loop runners ---------------------------------------------
    Known(E.RUN, names=("lastword.wait_until",)),
    Known(
        E.RUN,
        names=("asyncio.run", "anyio.run", "trio.run", "asgiref.sync.async_to_sync", "uvloop.run"),
        methods=("run_until_complete",),
    ),
    # -- asyncio ---------------------------------------------------------------------
    Known(
        E.TASK,
        names=("asyncio.create_task", "asyncio.tasks.create_task", "asyncio.run_coroutine_threadsafe"),
        methods=("create_task", "start_soon"),  # loop/TaskGroup/anyio task group
    ),
    Known(E.ENSURE_FUTURE, names=("asyncio.ensure_future", "asyncio.tasks.ensure_future")),
    Known(E.GATHER, names=("asyncio.gather", "asyncio.tasks.gather")),
    Known(
        E.WAIT_ASYNC,
        names=(
            "asyncio.wait", "asyncio.shield", "asyncio.as_completed", "asyncio.tasks.wait",
            "anyio.fail_after",
        ),
    ),
    Known(E.WAIT_FOR, names=("asyncio.wait_for", "asyncio.tasks.wait_for"), timeout_at=1),
    Known(E.CALLBACK, methods=("call_later", "call_at")),
    Known(E.CALLBACK_SOON, methods=("call_soon", "call_soon_threadsafe")),
    Known(E.THREAD_FUTURE, methods=("run_in_executor",)),
    Known(E.WRAP_FUTURE, names=("asyncio.wrap_future",)),
    Known(
        E.THREAD_COROUTINE,
        names=("asyncio.to_thread", "asyncio.threads.to_thread", "anyio.to_thread.run_sync"),
    ),
    Known(
        E.COROUTINE,
        names=(
            "asyncio.sleep", "asyncio.open_connection", "asyncio.start_server", "anyio.sleep",
            "trio.sleep",
        ),
    ),
    Known(
        E.PROCESS_COROUTINE,
        names=(
            "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
            "asyncio.subprocess.create_subprocess_exec",
            "asyncio.subprocess.create_subprocess_shell",
        ),
    ),
    # -- concurrent.futures, multiprocessing.pool ------------------------------------
    Known(
        E.WAIT_SYNC,
        names=(
            "concurrent.futures.wait", "concurrent.futures.as_completed",
            "concurrent.futures._base.wait",
        ),
        timeout_at=1,
    ),
    Known(E.WAIT_SYNC, names=("os.waitpid", "os.wait4")),
    Known(E.SUBMIT, methods=("submit",), on=_EXECUTORS, hints=_EXECUTOR_HINTS, needs_args=True),
    Known(
        E.SUBMIT,
        methods=("apply_async", "map_async", "starmap_async", "imap", "imap_unordered"),
        on=_EXECUTORS,
        hints=_EXECUTOR_HINTS,
    ),
    Known(E.SUBMIT_MAP, methods=("map",), on=("Executor",), hints=("executor",)),
    Known(E.SHUTDOWN, methods=("shutdown", "join"), on_work=False),
    # -- threads and processes -------------------------------------------------------
    Known(E.THREAD, names=("threading.Thread", "threading.Timer")),
    Known(
        E.THREAD,
        names=("logging.handlers.QueueListener",),
        fix="call .stop() on it before returning (its thread runs until then)",
        source="docs.python.org logging.handlers: QueueListener.start() starts a thread, stop() ends it",
    ),
    Known(E.THREAD_RUNNING, names=("_thread.start_new_thread", "_thread.start_new")),
    Known(
        E.PROCESS,
        names=(
            "multiprocessing.Process", "multiprocessing.context.Process",
            "multiprocessing.process.BaseProcess",
        ),
    ),
    Known(E.PROCESS_RUNNING, names=("subprocess.Popen", "os.posix_spawn", "os.posix_spawnp")),
    Known(
        E.SPAWN,
        names=tuple(f"os.spawn{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")),
    ),
    Known(
        E.SHELL,
        names=(
            "os.system", "os.popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
            "subprocess.check_output", "subprocess.getoutput", "subprocess.getstatusoutput",
        ),
        fix="drop the `&` at the end of the command line (the shell returns at once and the "
        "command runs on), or make the shell wait for it (`cmd & wait`)",
    ),
    # -- never returning -------------------------------------------------------------
    Known(
        E.NEVER_RETURNS,
        names=(
            "sys.exit", "os._exit", "os.abort", "flask.abort", "werkzeug.exceptions.abort",
            "fastapi.abort", "typing.assert_never", "typing_extensions.assert_never",
        ),
    ),
    # -- web frameworks: work attached to the response -------------------------------
    Known(
        E.AFTER_RESPONSE,
        names=("starlette.background.BackgroundTask", "fastapi.background.BackgroundTask"),
    ),
    Known(E.AFTER_RESPONSE, methods=("add_task",), on=("BackgroundTasks",), hints=("background",)),
    Known(E.ON_CLOSE, methods=("call_on_close",), needs_args=True, on_work=False),
    Known(
        E.BEFORE_RESPONSE,
        names=("flask.after_this_request", "flask.ctx.after_this_request"),
        source="flask.palletsprojects.com: after_this_request runs the function after this "
        "request, to modify the response object before it is sent",
    ),
    # -- Google Cloud Pub/Sub --------------------------------------------------------
    Known(
        E.FUTURE,
        methods=("publish",),
        on=("PublisherClient",),
        hints=("publisher",),
        source="cloud.google.com/python/docs/reference/pubsub: PublisherClient.publish() returns "
        "a pubsub_v1.publisher.futures.Future; the batch is sent by a background thread; "
        "stop() is non-blocking and Future.cancel() always returns False",
    ),
    Known(
        E.COROUTINE,
        methods=("publish",),
        on=("PublisherAsyncClient",),
        source="google.pubsub_v1.PublisherAsyncClient.publish is a coroutine",
    ),
    Known(
        E.FUTURE,
        methods=("subscribe",),
        on=("SubscriberClient",),
        hints=("subscriber",),
        fix="call .cancel() on the streaming pull future (and .result() to wait for it to "
        "stop) before returning (it pulls until cancelled)",
        source="SubscriberClient.subscribe() returns a StreamingPullFuture that pulls messages "
        "in background threads until cancelled",
    ),
    # -- Google Cloud Storage (synchronous) -----------------------------------------
    Known(
        E.SYNC,
        methods=(
            "upload_from_string", "upload_from_filename", "upload_from_file",
            "download_as_bytes", "download_as_text", "download_to_filename", "download_to_file",
        ),
        on=("Blob",),
        hints=("blob",),
        source="google.cloud.storage.blob.Blob: uploads and downloads return when done",
    ),
    # -- Google Cloud Firestore, async client ----------------------------------------
    Known(
        E.COROUTINE,
        methods=("get", "set", "update", "delete", "create"),
        on=("AsyncDocumentReference",),
        source="google.cloud.firestore_v1.async_document.AsyncDocumentReference: async methods",
    ),
    Known(E.COROUTINE, methods=("add", "get"), on=("AsyncCollectionReference",)),
    Known(E.COROUTINE, methods=("get",), on=("AsyncQuery", "AsyncCollectionGroup")),
    Known(E.COROUTINE, methods=("commit",), on=("AsyncWriteBatch",)),
    # -- HTTP clients ----------------------------------------------------------------
    Known(
        E.COROUTINE,
        methods=(
            "get", "post", "put", "patch", "delete", "head", "options", "request", "send", "aclose",
        ),
        on=("httpx.AsyncClient", "httpx._client.AsyncClient"),
        source="www.python-httpx.org/async: AsyncClient request methods are coroutines",
    ),
    Known(
        E.COROUTINE,
        methods=(
            "get", "post", "put", "patch", "delete", "head", "options", "request", "ws_connect",
            "close",
        ),
        on=("ClientSession",),
        source="docs.aiohttp.org: ClientSession request methods return awaitable "
        "context managers; close() is a coroutine",
    ),
    Known(
        E.COROUTINE,
        methods=("get", "post", "put", "patch", "delete", "head", "options", "request", "send"),
        on=("AsyncClient", "AsyncSession"),
    ),
    # -- OpenTelemetry SDK -----------------------------------------------------------
    Known(
        E.THREAD_RUNNING,
        names=("opentelemetry.sdk.trace.export.BatchSpanProcessor",),
        fix=_OTEL_FIX,
        queues=("start_as_current_span", "start_span"),
        flushes=("force_flush", "shutdown"),
        source="opentelemetry-python: BatchSpanProcessor queues ended spans; its worker thread "
        "exports them every schedule delay (5 s); force_flush() exports what is queued",
    ),
    Known(
        E.THREAD_RUNNING,
        names=("opentelemetry.sdk._logs.export.BatchLogRecordProcessor",),
        fix=_OTEL_FIX,
        queues=_LOG_CALLS,
        queues_on=("log",),
        flushes=("force_flush", "shutdown"),
    ),
    Known(
        E.THREAD_RUNNING,
        names=("opentelemetry.sdk.metrics.export.PeriodicExportingMetricReader",),
        fix=_OTEL_FIX,
    ),
    Known(E.HOLD, methods=("add_span_processor", "add_log_record_processor"), on_work=False),
    Known(E.HOLD, names=("opentelemetry.sdk.metrics.MeterProvider",)),
    # -- Segment (analytics-python) -------------------------------------------------
    Known(
        E.QUEUE,
        names=tuple(f"segment.analytics.{call}" for call in _SEGMENT_CALLS),
        methods=_SEGMENT_CALLS,
        on=_SEGMENT_CLIENT,
        flushes=("flush", "shutdown", "join"),
        fix="call analytics.flush() (client.flush()) before returning: it blocks until the "
        "queued messages are uploaded",
        source="segment.com/docs/connections/sources/catalog/libraries/server/python: track() "
        "and the other calls put the message on a queue that a consumer thread uploads in "
        "batches; flush() blocks until the queue is empty",
    ),
    Known(
        E.FLUSH,
        names=tuple(f"segment.analytics.{call}" for call in ("flush", "shutdown", "join")),
        methods=("flush", "shutdown", "join"),
        on=_SEGMENT_CLIENT,
    ),
    # -- Google Cloud Logging --------------------------------------------------------
    Known(
        E.THREAD_RUNNING,
        names=(
            "google.cloud.logging.handlers.CloudLoggingHandler",
            "google.cloud.logging_v2.handlers.CloudLoggingHandler",
            "google.cloud.logging_v2.handlers.handlers.CloudLoggingHandler",
        ),
        fix="call handler.flush() before returning, or create it with transport=SyncTransport "
        "(its default transport sends log entries from a background thread)",
        queues=_LOG_CALLS,
        queues_on=("log",),
        flushes=("flush", "close"),
        source="cloud.google.com/python/docs/reference/logging: the default "
        "BackgroundThreadTransport sends log entries from a background thread; flush() "
        "submits them",
    ),
)
"""Known calls: checked by qualified name first, then by method name."""

QUIET_WITH = {"transport": "SyncTransport"}
"""A THREAD_RUNNING constructor given this keyword (a value of this class) starts no thread."""

STEPS: tuple[Step, ...] = (
    Step(_FIRESTORE_CLIENT, ("collection",), _FS + "AsyncCollectionReference"),
    Step(_FIRESTORE_CLIENT, ("document",), _FS + "AsyncDocumentReference"),
    Step(_FIRESTORE_CLIENT, ("collection_group",), _FS + "AsyncCollectionGroup"),
    Step(_FIRESTORE_CLIENT, ("batch",), _FS + "AsyncWriteBatch"),
    Step(("AsyncCollectionReference",), ("document",), _FS + "AsyncDocumentReference"),
    Step(("AsyncDocumentReference",), ("collection",), _FS + "AsyncCollectionReference"),
    Step(
        ("AsyncCollectionReference", "AsyncQuery", "AsyncCollectionGroup"),
        _QUERY_METHODS,
        _FS + "AsyncQuery",
    ),
)

TABLE = Table(ROWS, STEPS)

_SETTLE = WorkMethod(WorkOp.SETTLE)
WORK_METHODS: dict[str, WorkMethod] = {
    "start": WorkMethod(WorkOp.START),
    "join": WorkMethod(WorkOp.SETTLE, timeout_at=0, raises=False),
    "result": WorkMethod(WorkOp.SETTLE, timeout_at=0),
    "exception": WorkMethod(WorkOp.SETTLE, timeout_at=0),
    "wait": WorkMethod(WorkOp.SETTLE, timeout_at=0),
    "communicate": WorkMethod(WorkOp.SETTLE, timeout_at=1),
    "get": WorkMethod(WorkOp.SETTLE, timeout_at=0),
    **dict.fromkeys(
        (
            "cancel", "kill", "terminate", "close", "run_until_complete", "__await__", "send",
            "throw", "force_flush", "shutdown", "flush", "stop",
        ),
        _SETTLE,
    ),
    **dict.fromkeys(("is_alive", "done", "poll", "running"), WorkMethod(WorkOp.CHECK)),
    **dict.fromkeys(("copy", "values", "keys", "items"), WorkMethod(WorkOp.VIEW)),
    **dict.fromkeys(
        ("append", "add", "extend", "insert", "update", "put", "put_nowait", "setdefault",
         "appendleft"),
        WorkMethod(WorkOp.KEEP),
    ),
}
"""Methods called on started work (or a collection of it)."""

SETTLE_METHODS = frozenset(m for m, w in WORK_METHODS.items() if w.op is WorkOp.SETTLE)
CONTAINER_METHODS = frozenset(m for m, w in WORK_METHODS.items() if w.op is WorkOp.KEEP)
SETTLE_FUNCS = frozenset(
    {"gather", "wait", "as_completed", "wait_until", "wait_for", "shield", "waitpid", "shutdown"}
)
"""Names of calls that finish work passed to them (to see that another method finishes it)."""

WAIT_FOR = frozenset(n for row in ROWS if row.effect is E.WAIT_FOR for n in row.names)
SYNC_AS_COMPLETED = frozenset({"concurrent.futures.as_completed"})
TIMEOUT_BLOCKS = frozenset({"asyncio.timeout", "asyncio.timeout_at", "anyio.fail_after", "trio.fail_after"})
"""``async with`` blocks that cancel what they await when the time is up, and raise."""
QUIET_TIMEOUT_BLOCKS = frozenset({"anyio.move_on_after", "trio.move_on_after"})
"""... and that leave the block quietly."""
TIMEOUT_CATCHERS = frozenset({"TimeoutError", "TimeoutExpired", "Exception", "BaseException", "OSError"})
"""Exception classes (last name) whose handler catches a timeout of a wait."""

SCOPE_NAMES = ("tg", "nursery")
SCOPE_HINTS = ("group", "nursery")
"""Receivers that wait for what they start (task groups, nurseries), by name."""

CHEAP_CALLBACKS = frozenset({"close", "release", "set", "clear", "discard", "remove", "cancel"})
CONSUMERS = frozenset(
    {"list", "tuple", "set", "sorted", "sum", "any", "all", "dict", "min", "max", "frozenset"}
)
TERMINAL_BUILTINS = frozenset({"exit", "quit"})
CHEAP_BUILTINS = frozenset(
    {
        "len", "str", "int", "float", "bool", "dict", "list", "set", "tuple", "isinstance",
        "getattr", "hasattr", "setattr", "repr", "format", "min", "max", "sorted", "print",
        "type", "round", "abs", "range", "enumerate", "zip",
    }
)
LOG_NAMES = frozenset({"logging", "logger", "log", "_logger", "_log", "LOGGER", "LOG", "warnings"})
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
