"""The invoker: where the user's function runs, decided once, for every signature type.

An async function runs on the event loop; a sync one on the thread pool, inside a copy of the
request's context. Either way the adapter makes the call (what the function receives, how its
return value becomes a :class:`~lastword._adapters._base.Reply`), the same checks apply to what it
returned, and the reply goes out through :class:`~lastword._send.Send`: whole (most replies) or
by :meth:`Invoker.respond` (a stream, a response that sends itself, work attached to it).

This is also the boundary of tracking: the invocation is the current one (``_invocation.current``)
only while the user's code runs — the function, its error handler, its response body generator —
so work started there is the invocation's, and work lastword starts for itself is nobody's.
"""

from __future__ import annotations

import contextvars
import inspect
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from types import CoroutineType
from typing import TYPE_CHECKING, Any

from ._adapters import adapter_factory
from ._errors import BadReturn, ClientGone
from ._invocation import Invocation, current

if TYPE_CHECKING:
    from ._adapters._base import Adapter, Call, Reply
    from ._loader import LoadedFunction
    from ._pool import ThreadPool
    from ._request import Incoming
    from ._send import Send

ErrorHandlers = tuple[tuple[type[BaseException], Callable[..., Any]], ...]

_NOT_AWAITABLE = frozenset({str, bytes, dict, list, tuple, type(None)})
"""What functions return most, known without asking ``inspect.isawaitable``."""


class Invoker:
    """Calls one loaded function for a request and sends what it returned."""

    def __init__(self, loaded: LoadedFunction, pool: ThreadPool, adapter: Adapter | None = None):
        self.function = loaded.function
        self.is_async = loaded.is_async
        self.pool = pool
        self.adapter = adapter if adapter is not None else adapter_factory(loaded.signature_type)(loaded)
        self.handlers: ErrorHandlers = tuple(loaded.error_handlers)

    async def __call__(self, request: Incoming, invocation: Invocation, send: Send) -> None:
        """Run the function for ``request`` and send its response through ``send``."""
        context = None
        if self.is_async:  # on the event loop, as the invocation's code
            token = current.set(invocation)
            try:
                with self.adapter.call(request) as call:
                    try:
                        result = self.function(*call.args)
                        if type(result) is CoroutineType or inspect.isawaitable(result):
                            result = await result
                        if type(result) not in _NOT_AWAITABLE and inspect.isawaitable(result):
                            # `return other()` without await
                            _close(result)
                            raise BadReturn("returned-awaitable", describe_value(result))
                        reply = call.reply(result)
                    except BadReturn:
                        raise
                    except Exception as error:
                        handled = await self._handle_async(call, error)
                        if handled is None:
                            raise
                        reply = handled
            finally:
                current.reset(token)
        else:
            context = contextvars.copy_context()
            context.run(current.set, invocation)
            reply = await self.pool.run(context, self._call_sync, request)
        if reply.stream is None and reply.asgi is None and not reply.after and reply.background is None:
            sending = send.whole(reply.status, reply.headers, reply.body)  # most replies
            if sending is not None:
                await sending
        else:
            await self.respond(reply, request, invocation, send, context)

    # --- calling a sync function --------------------------------------------------------------

    def _call_sync(self, request: Incoming) -> Reply:
        """On a pool thread, in the invocation's context."""
        invocation = current.get()
        if invocation is not None:
            if invocation.client_gone:
                raise ClientGone()  # it waited for a thread, and nobody is listening any more
            invocation.thread = threading.get_ident()
        try:
            return self._call_sync_here(request)
        finally:
            if invocation is not None:
                invocation.thread = 0

    def _call_sync_here(self, request: Incoming) -> Reply:
        with self.adapter.call(request) as call:
            try:
                result = self.function(*call.args)
                if type(result) not in _NOT_AWAITABLE and inspect.isawaitable(result):
                    _close(result)
                    raise BadReturn("returned-awaitable", describe_value(result))
                return call.reply(result)
            except BadReturn:
                raise
            except Exception as error:
                handled = self._handle_sync(call, error)
                if handled is None:
                    raise
                return handled

    # --- exceptions the function raised -------------------------------------------------------

    def _handler_for(self, error: BaseException) -> Callable[..., Any] | None:
        for kind in type(error).__mro__:
            for registered, handler in self.handlers:
                if registered is kind:
                    return handler
        return None

    def _handle_sync(self, call: Call, error: Exception) -> Reply | None:
        handler = self._handler_for(error)
        if handler is not None:
            result = handler(error)
            if inspect.isawaitable(result):
                _close(result)
                raise BadReturn("returned-awaitable", describe_value(result))
            return call.handled(result)
        return call.exception_reply(error)

    async def _handle_async(self, call: Call, error: Exception) -> Reply | None:
        handler = self._handler_for(error)
        if handler is not None:
            result = handler(error)
            if inspect.isawaitable(result):
                result = await result
            return call.handled(result)
        return call.exception_reply(error)

    # --- responding ---------------------------------------------------------------------------

    async def respond(
        self,
        reply: Reply,
        request: Incoming,
        invocation: Invocation,
        send: Send,
        context: contextvars.Context | None,
    ) -> None:
        """Send ``reply``. Work attached to it (Flask ``call_on_close``, Starlette background
        tasks) starts now, as the invocation's work; a body generator runs as the user's code."""
        if reply.after:
            from ._attached import start_after_response

            start_after_response(invocation, reply.after)
        if reply.background is not None:
            from ._attached import start_background

            start_background(invocation, reply.background)
        if reply.asgi is not None:
            response: Any = reply.asgi
            body = getattr(response, "body_iterator", None)
            if body is not None:
                response.body_iterator = _attributed(body, invocation)
            await response(request.scope, request.receive, send)
            return
        stream = reply.stream
        if stream is None:  # a whole body, with work attached to it
            sending = send.whole(reply.status, reply.headers, reply.body)
            if sending is not None:
                await sending
            return
        await send({"type": "http.response.start", "status": reply.status, "headers": reply.headers})
        if isinstance(stream, Iterator):
            await self._send_iterator(stream, send, context or contextvars.copy_context())
        else:
            async for chunk in _attributed(stream, invocation):
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def _send_iterator(
        self, stream: Iterator[bytes], send: Send, context: contextvars.Context
    ) -> None:
        """A sync generator's body: each step on a pool thread, in the invocation's context."""
        try:
            while True:
                chunk = await self.pool.run(context, next, stream, None)
                if chunk is None:
                    return
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                await self.pool.run(context, close)


async def _attributed(iterator: Any, invocation: Invocation) -> AsyncIterator[bytes]:
    """An async body iterator whose steps run as the invocation's code."""
    step = iterator.__aiter__().__anext__ if hasattr(iterator, "__aiter__") else None
    if step is None:  # a sync iterable handed to StreamingResponse: Starlette iterates it
        for chunk in iterator:
            yield chunk
        return
    while True:
        token = current.set(invocation)
        try:
            chunk = await step()
        except StopAsyncIteration:
            return
        finally:
            current.reset(token)
        yield chunk


def _close(awaitable: Any) -> None:
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()  # it will never run: close it, so Python does not warn that it was never awaited


def describe_value(value: Any) -> str:
    name = getattr(value, "__qualname__", None)
    return f"{type(value).__name__} {name}()" if name else type(value).__name__
