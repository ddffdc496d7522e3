"""Names of the library APIs the checker knows: what starts work, what finishes it."""

from __future__ import annotations

WAIT_UNTIL = frozenset({"lastword.wait_until"})

# Calls that run an awaitable to completion right there.
RUNNERS = frozenset(
    {"asyncio.run", "anyio.run", "trio.run", "asgiref.sync.async_to_sync", "uvloop.run"}
)
RUNNER_METHODS = frozenset({"run_until_complete"})

TASK_FUNCS = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
        "asyncio.run_coroutine_threadsafe",
    }
)
TASK_METHODS = frozenset({"create_task", "start_soon"})
GATHER = frozenset({"asyncio.gather", "asyncio.tasks.gather"})
# Wrap awaitables; awaiting the result awaits them.
ASYNC_WAITERS = frozenset(
    {
        "asyncio.wait",
        "asyncio.wait_for",
        "asyncio.shield",
        "asyncio.as_completed",
        "asyncio.tasks.wait",
        "asyncio.tasks.wait_for",
        "anyio.fail_after",
    }
)
# Block until the futures are done.
SYNC_WAITERS = frozenset(
    {
        "concurrent.futures.wait",
        "concurrent.futures.as_completed",
        "concurrent.futures._base.wait",
        "os.waitpid",
        "os.wait4",
    }
)
WAIT_FOR = frozenset({"asyncio.wait_for", "asyncio.tasks.wait_for"})
SYNC_AS_COMPLETED = frozenset({"concurrent.futures.as_completed"})
CALLBACK_METHODS = frozenset({"call_soon", "call_later", "call_at", "call_soon_threadsafe"})
EXECUTOR_METHODS = frozenset({"submit"})
EXECUTOR_MAP_METHODS = frozenset({"map"})
POOL_ASYNC_METHODS = frozenset(
    {"apply_async", "map_async", "starmap_async", "imap", "imap_unordered"}
)
EXECUTOR_TYPES = ("Executor", "ThreadPool", "Pool")
EXECUTOR_NAME_HINTS = ("executor", "pool", "workers")

THREAD_CLASSES = frozenset({"threading.Thread", "threading.Timer"})
PROCESS_CLASSES = frozenset(
    {"multiprocessing.Process", "multiprocessing.context.Process", "multiprocessing.process.BaseProcess"}
)
POPEN = frozenset({"subprocess.Popen"})
RAW_THREAD_FUNCS = frozenset({"_thread.start_new_thread", "_thread.start_new"})
SPAWN_FUNCS = frozenset({"os.posix_spawn", "os.posix_spawnp"})
SPAWN_NOWAIT_PREFIX = "os.spawn"
ASYNC_SUBPROCESS = frozenset(
    {
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.subprocess.create_subprocess_exec",
        "asyncio.subprocess.create_subprocess_shell",
    }
)
STDLIB_COROUTINES = frozenset(
    {
        "asyncio.sleep",
        "asyncio.to_thread",
        "asyncio.open_connection",
        "asyncio.start_server",
        "anyio.sleep",
        "trio.sleep",
        "anyio.to_thread.run_sync",
    }
)
ASYNC_CLIENT_TYPES = ("AsyncClient", "AsyncSession", "aiohttp.ClientSession")
ASYNC_CLIENT_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "ws_connect"}
)

START_METHODS = frozenset({"start"})
SETTLE_METHODS = frozenset(
    {
        "join",
        "result",
        "wait",
        "communicate",
        "cancel",
        "exception",
        "kill",
        "terminate",
        "get",
        "close",
        "run_until_complete",
        "__await__",
        "send",
        "throw",
    }
)
CHEAP_CALLBACKS = frozenset({"close", "release", "set", "clear", "discard", "remove", "cancel"})
CONTAINER_METHODS = frozenset(
    {"append", "add", "extend", "insert", "update", "put", "put_nowait", "setdefault", "appendleft"}
)
CONSUMERS = frozenset(
    {"list", "tuple", "set", "sorted", "sum", "any", "all", "dict", "min", "max", "frozenset"}
)

PUBLISHER_TYPES = ("PublisherClient",)
PUBLISHER_NAME_HINTS = ("publisher",)

BACKGROUND_TASK = ("starlette.background.BackgroundTask", "fastapi.BackgroundTasks")
BACKGROUND_TASKS_TYPES = ("BackgroundTasks",)

TERMINAL = frozenset(
    {
        "sys.exit",
        "os._exit",
        "os.abort",
        "flask.abort",
        "werkzeug.exceptions.abort",
        "fastapi.abort",
        "typing.assert_never",
        "typing_extensions.assert_never",
    }
)
TERMINAL_BUILTINS = frozenset({"exit", "quit"})

AFTER_THIS_REQUEST = frozenset({"flask.after_this_request", "flask.ctx.after_this_request"})
CALL_ON_CLOSE = "call_on_close"

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

SHELL_RUNNERS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
    }
)
