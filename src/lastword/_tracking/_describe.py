"""How a report names a piece of work: ``upload('a.txt') via ThreadPoolExecutor.submit``.

Descriptions are short and safe: arguments through :mod:`reprlib`, a ``__repr__`` that raises
never breaks the user's code.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import reprlib
import threading
from typing import Any

_repr = reprlib.Repr()
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlevel = 2
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4


def name_of(callable_: Any) -> str:
    name = getattr(callable_, "__qualname__", None) or getattr(callable_, "__name__", None)
    if name is None and isinstance(callable_, functools.partial):
        return name_of(callable_.func)
    return str(name or type(callable_).__name__)


def _value(value: Any) -> str:
    if callable(value) and hasattr(value, "__qualname__"):  # functions, methods, classes
        return str(value.__qualname__)
    try:
        return _repr.repr(value)
    except Exception:  # a __repr__ that fails must not break the user's code
        return f"<{type(value).__name__}>"


def _clip(text: str) -> str:
    return text if len(text) <= 100 else text[:97] + "..."


def call(function: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> str:
    """``name(arg, key=value)``, short: how a report names a call."""
    if isinstance(function, functools.partial):
        args = (*function.args, *args)
        kwargs = {**function.keywords, **(kwargs or {})}
        function = function.func
    parts = [_value(a) for a in args]
    parts += [f"{k}={_value(v)}" for k, v in (kwargs or {}).items()]
    return f"{name_of(function)}({_clip(', '.join(parts))})"


def unwrap_context_run(fn: Any, args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...], bool]:
    """``asyncio.to_thread`` submits ``partial(context.run, fn, *args)``: see through it."""
    if isinstance(fn, functools.partial) and isinstance(
        getattr(fn.func, "__self__", None), contextvars.Context
    ) and fn.args:
        return fn.args[0], (*fn.args[1:], *args), True
    return fn, args, False


def coroutine_call(coro: Any) -> str:
    """``name(args)`` of a coroutine, its arguments read from its frame (while it has one)."""
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
    if frame is None:
        return f"{name}()"
    try:
        code = frame.f_code
        count = code.co_argcount + code.co_kwonlyargcount
        count += bool(code.co_flags & inspect.CO_VARARGS) + bool(code.co_flags & inspect.CO_VARKEYWORDS)
        names = [n for n in code.co_varnames[:count] if n not in ("self", "cls")]
        values = frame.f_locals
        text = ", ".join(_value(values[n]) for n in names if n in values)
    except Exception:
        return f"{name}()"
    return f"{name}({_clip(text)})"


def thread(thread: threading.Thread) -> str:
    """A thread by its name and what it runs."""
    if isinstance(thread, threading.Timer):
        return (
            f"{thread.name!r}: threading.Timer({thread.interval:g}, "
            f"{call(thread.function, tuple(thread.args), dict(thread.kwargs))})"
        )
    target = getattr(thread, "_target", None)
    if target is not None:
        args = tuple(getattr(thread, "_args", ()))
        kwargs = dict(getattr(thread, "_kwargs", None) or {})
        return f"{thread.name!r} running {call(target, args, kwargs)}"
    if type(thread).run is not threading.Thread.run:
        return f"{thread.name!r} ({type(thread).__qualname__}.run)"
    return repr(thread.name)


def process(process: Any) -> str:
    """A ``multiprocessing`` process by its name and target (read before ``start()`` drops it)."""
    what = repr(process.name)
    target = getattr(process, "_target", None)
    if target is not None:
        args = tuple(getattr(process, "_args", ()))
        what += f" running {call(target, args, dict(getattr(process, '_kwargs', None) or {}))}"
    return what


def command(command: Any) -> str:
    """A child process's command line, quoted and short."""
    text = " ".join(map(str, command)) if isinstance(command, (list, tuple)) else str(command)
    return repr(text if len(text) <= 60 else text[:57] + "...")
