"""Applying the effect of a known call (a row of ``_known``) to the state of the walk."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from . import _known as K
from ._effects import Effect, Known
from ._hooks import HookFlow, real_work
from ._names import dotted, last_name
from ._work import (
    CALLBACK,
    CORO,
    EMPTY,
    FUTURE,
    MAP,
    PARAM,
    PROCESS,
    TASK,
    THREAD,
    Ids,
    Spawn,
    Val,
    short,
)


@dataclass
class Site:
    """A call, with its receiver and arguments evaluated once."""

    node: ast.Call
    qual: str | None
    meth: str | None = None
    recv: ast.expr | None = None
    recv_key: str | None = None
    recv_val: Val = EMPTY
    args: Ids = frozenset()
    positional: list[Ids] = field(default_factory=list)
    keywords: dict[str | None, Ids] = field(default_factory=dict)


def partial_wait(node: ast.Call, timeout_at: int | None = None) -> bool:
    """``wait(..., return_when=FIRST_COMPLETED)`` or ``wait(fs, timeout=5)``: returns
    before all are done."""
    for kw in node.keywords:
        if kw.arg == "return_when" and not (dotted(kw.value) or "").endswith("ALL_COMPLETED"):
            return True
    return has_timeout(node, timeout_at)


def has_timeout(node: ast.Call, at: int | None, names: tuple[str, ...] = ("timeout",)) -> bool:
    """Is a timeout (other than ``None``) passed, by keyword or at position ``at``?"""
    value: ast.expr | None = None
    for kw in node.keywords:
        if kw.arg in names:
            value = kw.value
    if value is None and at is not None and len(node.args) > at:
        value = node.args[at]
        if isinstance(value, ast.Starred):
            return False
    return value is not None and not (isinstance(value, ast.Constant) and value.value is None)


def _backgrounds(arg: ast.expr) -> bool:
    """A shell command line ending in ``&``: the shell returns, the command runs on."""
    text = ""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        text = arg.value
    elif isinstance(arg, ast.JoinedStr) and arg.values:
        last = arg.values[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str):
            text = last.value
    text = text.rstrip()
    return text.endswith("&") and not text.endswith("&&")


# -- the effects of known calls ------------------------------------------------------------
# Each returns the value of the call, or None to let the call be treated like an unknown one.

Handler = Callable[[HookFlow, Site, Known], Val | None]


def _new(flow: HookFlow, kind: str, site: Site, live: bool = True, row: Known | None = None) -> Val:
    item_id = flow.new_item(kind, site.node, short(site.node), live)
    if row is not None and row.fix:
        flow.items[item_id].fix = row.fix
    return frozenset({item_id}), False


def _run(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.consume(site.args)
    flow.settle(site.args, True)
    return EMPTY


def _task(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.consume(site.args)
    if site.meth is not None and flow.is_scoped(site.recv_key):
        return EMPTY
    return _new(flow, TASK, site)


def _ensure_future(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.consume(site.args)
    if site.args and all(flow.items[i].kind != CORO for i in site.args):
        return site.args, False  # a future passes through
    return _new(flow, TASK, site)


def _gather(flow: HookFlow, site: Site, row: Known) -> Val | None:
    coros = [i for i in site.args if flow.items[i].kind in (CORO, PARAM)]
    flow.consume(coros)
    rest = set(site.args) - set(coros)
    if coros:
        rest.add(flow.new_item(TASK, site.node, short(site.node)))
    return frozenset(rest), True


def _wait_async(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if partial_wait(site.node):
        flow.partial = site.args  # awaiting it finishes only some of them
        if has_timeout(site.node, None):
            flow.gave_up(site.args, site.node, raises=False)
    return site.args, True


def _wait_for(flow: HookFlow, site: Site, row: Known) -> Val | None:
    node = site.node
    if has_timeout(node, row.timeout_at) and node.args:
        first = node.args[0]
        shielded = isinstance(first, ast.Call) and flow.qual(first.func) == "asyncio.shield"
        going_on: list[int] = []
        for item_id in site.positional[0] if site.positional else ():
            item = flow.items[item_id]
            if item.kind == CORO and item.in_thread:
                # Cancelling asyncio.to_thread() leaves its thread running.
                going_on.append(flow.new_item(THREAD, item.node, item.what, live=False))
            elif item.kind in (FUTURE, CALLBACK) or item.in_thread or shielded:
                going_on.append(item_id)
        flow.gave_up(going_on, node, raises=True)
    return site.args, True


def _wait_sync(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if partial_wait(site.node, row.timeout_at):
        if has_timeout(site.node, row.timeout_at):
            flow.gave_up(site.args, site.node, raises=False)
        return site.args, True  # (done, not_done): the rest is still running
    flow.settle(site.args, True)
    return EMPTY


def _submit(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if flow.is_scoped(site.recv_key):
        return EMPTY
    kind = MAP if row.effect is Effect.SUBMIT_MAP else FUTURE
    val = _new(flow, kind, site)
    for item_id in val[0]:
        flow.items[item_id].executor = site.recv_key
    return val


def _future(flow: HookFlow, site: Site, row: Known) -> Val | None:
    val = _new(flow, FUTURE, site, row=row)
    if row.effect is Effect.THREAD_FUTURE:
        for item_id in val[0]:
            flow.items[item_id].in_thread = True
    return val


def _wrap_future(flow: HookFlow, site: Site, row: Known) -> Val | None:
    for item_id in site.args:
        flow.items[item_id].in_thread = True
    return site.args, False


def _callback(flow: HookFlow, site: Site, row: Known) -> Val | None:
    val = _new(flow, CALLBACK, site)
    for item_id in val[0]:
        flow.items[item_id].soon = row.effect is Effect.CALLBACK_SOON
    return val


def _thread(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if row.effect is Effect.THREAD:
        val = _new(flow, THREAD, site, live=False, row=row)
        target = next((kw.value for kw in site.node.keywords if kw.arg == "target"), None)
        queue = flow.consumed_queue(target) if target is not None else None
        if queue is not None:
            for item_id in val[0]:
                flow.items[item_id].queue = queue
                flow.items[item_id].fix = (
                    f"call `{queue}.join()` before returning, once what the function hands to "
                    f"this thread is on `{queue}` (the thread works through that queue)"
                )
        return val
    for kw in site.node.keywords:
        wanted = K.QUIET_WITH.get(kw.arg or "")
        if wanted and last_name(kw.value) == wanted:
            flow.consume(site.args)
            return EMPTY
    return _new(flow, THREAD, site, row=row)


def _process(flow: HookFlow, site: Site, row: Known) -> Val | None:
    return _new(flow, PROCESS, site, live=row.effect is Effect.PROCESS_RUNNING)


def _spawn(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if site.node.args and (dotted(site.node.args[0]) or "").endswith("P_NOWAIT"):
        return _new(flow, PROCESS, site)
    return EMPTY


def _shell(flow: HookFlow, site: Site, row: Known) -> Val | None:
    command = site.node.args[0] if site.node.args else None
    if isinstance(command, ast.Name):  # command = f"... &"; subprocess.run(command, shell=True)
        if any(_backgrounds(value) for value in flow.assigned(command.id)):
            return _new(flow, PROCESS, site, row=row)
    elif command is not None and _backgrounds(command):
        return _new(flow, PROCESS, site, row=row)
    return None


def _process_coroutine(flow: HookFlow, site: Site, row: Known) -> Val | None:
    val = _new(flow, CORO, site)
    for item_id in val[0]:
        flow.items[item_id].on_await = (Spawn(PROCESS, short(site.node)),)
    return val


def _coroutine(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if site.meth is None or site.qual is not None:
        flow.consume(site.args)
    val = _new(flow, CORO, site)
    if row.effect is Effect.THREAD_COROUTINE:
        for item_id in val[0]:
            flow.items[item_id].in_thread = True
    return val


def _hold(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if site.meth is not None and site.recv_key is not None and site.qual is None:
        key = site.recv_key
        if site.args:
            flow.state.env[key] = flow.state.env.get(key, frozenset()) | site.args
            flow.state.coll.add(key)
        return EMPTY
    return site.args, True


def _shutdown(flow: HookFlow, site: Site, row: Known) -> Val | None:
    wait = next((kw.value for kw in site.node.keywords if kw.arg == "wait"), None)
    if not (isinstance(wait, ast.Constant) and wait.value is False):
        done = [i for i, it in enumerate(flow.items) if it.executor == site.recv_key]
        flow.settle(done, True)
        if site.meth == "join" and site.recv_key is not None:
            # queue.join(): what was put on it is done by the threads that consume it
            fed = [i for i in flow.state.live if flow.items[i].queue == site.recv_key]
            flow.settle(fed, True)
        if site.meth == "shutdown":
            flow.settle(site.recv_val[0], True)
    return EMPTY if site.meth == "shutdown" else None


def _never_returns(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.state.reachable = False
    return EMPTY


def _after_response(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.report(site.node, "LW201", short(site.node))
    return EMPTY


def _on_close(flow: HookFlow, site: Site, row: Known) -> Val | None:
    callback = site.node.args[0]
    cheap = isinstance(callback, ast.Attribute) and callback.attr in K.CHEAP_CALLBACKS
    if not cheap and real_work(flow.callback_node(callback)):
        flow.report(site.node, "LW202", short(site.node))
    return EMPTY


def _before_response(flow: HookFlow, site: Site, row: Known) -> Val | None:
    if site.node.args:
        callback = site.node.args[0]
        name = last_name(callback) or "<lambda>"
        flow.before_response(
            flow.callback_node(callback), site.node, f"after_this_request callback `{name}`"
        )
    return EMPTY


def _sync(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.consume(site.args)
    return EMPTY


def _queue(flow: HookFlow, site: Site, row: Known) -> Val | None:
    flow.consume(site.args)
    key = id(row)
    if any(flow.items[i].worker == key for i in flow.state.live):
        return EMPTY  # one report per function and library: the first call that feeds it
    item_id = flow.new_item(THREAD, site.node, short(site.node))
    item = flow.items[item_id]
    item.worker = key
    item.detail = (
        "what this call hands to the library's worker thread is done by that thread, after "
        "the response"
    )
    item.fix = row.fix
    return EMPTY


def _flush(flow: HookFlow, site: Site, row: Known) -> Val | None:
    name = (site.qual or site.meth or "").rsplit(".", 1)[-1]
    fed = {id(r) for r in K.ROWS if r.effect is Effect.QUEUE and name in r.flushes}
    flow.settle([i for i in flow.state.live if flow.items[i].worker in fed], True)
    return EMPTY


EFFECTS: dict[Effect, Handler] = {
    Effect.RUN: _run,
    Effect.TASK: _task,
    Effect.ENSURE_FUTURE: _ensure_future,
    Effect.GATHER: _gather,
    Effect.WAIT_ASYNC: _wait_async,
    Effect.WAIT_FOR: _wait_for,
    Effect.WAIT_SYNC: _wait_sync,
    Effect.SUBMIT: _submit,
    Effect.SUBMIT_MAP: _submit,
    Effect.FUTURE: _future,
    Effect.THREAD_FUTURE: _future,
    Effect.WRAP_FUTURE: _wrap_future,
    Effect.CALLBACK: _callback,
    Effect.CALLBACK_SOON: _callback,
    Effect.THREAD: _thread,
    Effect.THREAD_RUNNING: _thread,
    Effect.PROCESS: _process,
    Effect.PROCESS_RUNNING: _process,
    Effect.SPAWN: _spawn,
    Effect.SHELL: _shell,
    Effect.PROCESS_COROUTINE: _process_coroutine,
    Effect.COROUTINE: _coroutine,
    Effect.THREAD_COROUTINE: _coroutine,
    Effect.HOLD: _hold,
    Effect.SHUTDOWN: _shutdown,
    Effect.NEVER_RETURNS: _never_returns,
    Effect.AFTER_RESPONSE: _after_response,
    Effect.ON_CLOSE: _on_close,
    Effect.BEFORE_RESPONSE: _before_response,
    Effect.SYNC: _sync,
    Effect.QUEUE: _queue,
    Effect.FLUSH: _flush,
}
