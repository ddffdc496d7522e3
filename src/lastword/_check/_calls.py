"""Calls: known library APIs (looked up in the table of ``_known``, applied by ``_apply``),
methods of started work, and calls into the checked code (through summaries of the callee)."""

from __future__ import annotations

import ast
import builtins

from . import _known as K
from ._apply import EFFECTS, Site, has_timeout
from ._effects import Effect, Known, WorkMethod, WorkOp
from ._hooks import HookFlow
from ._names import dotted, last_name
from ._project import ClassRef, FunctionRef
from ._work import CORO, EMPTY, MAP, PARAM, PROCESS, THREAD, Ids, Val, short

BUILTINS = frozenset(dir(builtins))


class CallFlow(HookFlow):
    """Evaluating calls: the effect of known APIs, methods of started work, user code."""

    def call(self, node: ast.Call) -> Val:
        telling = self.only_tells(node)
        self.telling += telling
        try:
            site = self.site(node)
        finally:
            self.telling -= telling
        if site.meth is not None and self.analysis.workers:
            self.feed_worker(site)
        known = self.known(site)
        if known is not None:
            found = EFFECTS[known.effect](self, site, known)
            if found is not None:
                return found
        if site.meth is not None and site.recv_val[0]:
            return self.work_method(site, K.WORK_METHODS.get(site.meth))
        return self.other_call(site)

    def site(self, node: ast.Call) -> Site:
        func = node.func
        site = Site(node, self.qual(func))
        if isinstance(func, ast.Attribute):
            site.meth = func.attr
            site.recv = func.value
            site.recv_key = dotted(func.value)
            site.recv_val = self.eval(func.value)
        arg_ids: set[int] = set()
        for arg in node.args:
            ids = self.eval(arg)[0]
            site.positional.append(ids)
            arg_ids |= ids
        for kw in node.keywords:
            ids = self.eval(kw.value)[0]
            site.keywords[kw.arg] = ids
            arg_ids |= ids
        site.args = frozenset(arg_ids)
        return site

    def known(self, site: Site) -> Known | None:
        """The table's row for this call, if any."""
        if site.qual is not None:
            row = K.TABLE.function(site.qual)
            if row is not None and not (row.needs_args and not site.node.args):
                return row
        meth, recv = site.meth, site.recv
        if meth is None or recv is None or not K.TABLE.has_method(meth):
            return None
        tracked = any(self.items[i].kind != PARAM for i in site.recv_val[0])
        key = site.recv_key
        name = key.rsplit(".", 1)[-1].lower() if key else ""
        owner: list[str] = []

        def owner_type() -> str:
            if not owner:
                owner.append(self.type_of(recv))
            return owner[0]

        row = K.TABLE.method(meth, owner_type, name, tracked)
        if row is not None and row.needs_args and not site.node.args:
            return None
        return row

    def other_call(self, site: Site) -> Val:
        node, func, meth, args = site.node, site.node.func, site.meth, site.args
        if meth in K.CONTAINER_METHODS and site.recv_key is not None:
            if args:
                key = site.recv_key
                self.state.env[key] = self.state.env.get(key, frozenset()) | args
                self.state.coll.add(key)
            return EMPTY
        if (
            isinstance(func, ast.Name)
            and func.id in K.CONSUMERS
            and site.qual is None
            and func.id not in self.local_funcs
        ):
            self.settle([i for i in args if self.items[i].kind == MAP], True)
            return frozenset(i for i in args if self.items[i].kind != MAP), True
        ref = self.resolve_call(func)
        if isinstance(ref, FunctionRef):
            return self.user_call(node, ref, site.positional, site.keywords)
        if isinstance(ref, ClassRef):
            self.consume(args)
            return self.user_class(node, ref)
        if isinstance(func, ast.Name) and site.qual is None and func.id in BUILTINS:
            if func.id in K.TERMINAL_BUILTINS:
                self.state.reachable = False
            elif func.id == "len" and not self.telling:
                # len(not_done) after a wait with a timeout, where the code decides something
                # with it (a test, the response); a count that is only printed or logged is not
                self.settle_checked(args)
            return EMPTY  # str(coro), print(task), ... do not run anything
        if meth in K.LOG_METHODS and site.recv is not None and last_name(site.recv) in K.LOG_NAMES:
            if self.analysis.log_handlers:
                # the handlers' emit(record) runs here, in the request
                emitting = ast.copy_location(ast.Call(node.func, [], []), node)
                for emit in self.analysis.log_handlers.of_call(self.module, site.recv):
                    self.user_call(emitting, emit, [], {})
            return EMPTY
        self.consume(args)
        return EMPTY

    def only_tells(self, node: ast.Call) -> int:
        """1 for ``print(...)`` and a log call (``logger.info(...)``): their arguments are
        said, not acted upon."""
        func = node.func
        if isinstance(func, ast.Name):
            return int(func.id == "print" and "print" not in self.local_funcs)
        if isinstance(func, ast.Attribute) and func.attr in K.LOG_METHODS:
            return int(last_name(func.value) in K.LOG_NAMES)
        return 0

    def feed_worker(self, site: Site) -> None:
        """A call that hands work to a module-level worker thread (``tracer.start_span``
        with a BatchSpanProcessor, ``logger.info`` with a background logging handler), or
        that flushes it."""
        workers = self.analysis.workers
        meth = site.meth or ""
        if meth in workers.flush_methods:
            fed = [i for i in self.state.live if self.items[i].worker is not None]
            self.settle(fed, True)
            return
        worker = workers.fed_by(meth, site.recv)
        if worker is None:
            return
        key = id(worker.node)
        if any(self.items[i].worker == key for i in self.state.live):
            return  # one report per function and worker: the first call that feeds it
        item = self.new_item(THREAD, site.node, short(worker.node))
        self.items[item].worker = key
        self.items[item].detail = worker.detail()
        self.items[item].fix = worker.row.fix

    # -- methods of started work -------------------------------------------------------

    def work_method(self, site: Site, method: WorkMethod | None) -> Val:
        ids, collective = site.recv_val
        via = site.recv
        if method is None:
            self.consume(site.args)
            return EMPTY
        op = method.op
        if op is WorkOp.START:
            for item_id in ids:
                if self.items[item_id].kind in (THREAD, PROCESS):
                    self.state.live.add(item_id)
            return EMPTY
        if op is WorkOp.SETTLE:
            timed = method.timeout_at is not None and has_timeout(site.node, method.timeout_at)
            if timed and not method.raises:
                # The thread may still run: it stays live (and a parameter joined this
                # way is not finished by the helper).
                running = [i for i in ids if self.items[i].kind in (THREAD, PROCESS, PARAM)]
                self.gave_up(running, site.node, raises=False)
                ids = frozenset(ids) - frozenset(running)
            self.settle(ids, collective, via)
            defer = self.element_work(via)
            for item_id in ids:
                if self.items[item_id].kind in (CORO, PARAM):
                    self.discard(item_id, defer)
            if timed and method.raises:
                self.gave_up(ids, site.node, raises=True)
            return EMPTY
        if op is WorkOp.CHECK:
            self.settle_checked(ids, collective, via)
            return EMPTY
        if op is WorkOp.VIEW:
            return ids, True
        return EMPTY  # KEEP: more work stored in the collection

    def settle_checked(
        self, ids: Ids, collective: bool = True, via: ast.expr | None = None
    ) -> None:
        """A check after a wait that can give up (``is_alive()``, ``done()``, ``if
        not_done:``): the code looks at what is still running and decides about it."""
        self.settle([i for i in ids if self.items[i].bounded], collective, via)

    # -- calls into the checked code ---------------------------------------------------

    def user_call(
        self,
        node: ast.Call,
        ref: FunctionRef,
        positional: list[Ids],
        kw_vals: dict[str | None, Ids],
    ) -> Val:
        summary = self.analysis.summary(ref)
        params = list(summary.params)
        for index, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                break
            if index < len(params) and params[index] in summary.settles:
                ids = positional[index]
                if self.element_work(arg) is None:
                    self.consume(ids)
                self.settle(ids, True, arg)
        for name, ids in kw_vals.items():
            if name is not None and name in summary.settles:
                self.consume(ids)
                self.settle(ids, True)
        if summary.never_returns:
            self.state.reachable = False
            return EMPTY
        if summary.is_async:
            item = self.new_item(CORO, node, short(node))
            self.items[item].on_await = summary.returns
            return frozenset({item}), False
        out = set()
        for spawn in summary.returns:
            if spawn.worker is not None and any(
                self.items[i].worker == spawn.worker for i in self.state.live
            ):
                continue
            what = f"{spawn.what} (started in {ref.node.name}())"
            item = self.new_item(spawn.kind, node, what, spawn.started)
            self.items[item].worker = spawn.worker
            self.items[item].detail = spawn.detail
            self.items[item].fix = spawn.fix
            out.add(item)
        return frozenset(out), False

    def user_class(self, node: ast.Call, ref: ClassRef) -> Val:
        for base in sorted(self.project.class_bases(ref)):
            row = K.TABLE.function(base)
            if row is None:
                continue
            if row.effect in (Effect.THREAD, Effect.THREAD_RUNNING):
                live = row.effect is Effect.THREAD_RUNNING
                return frozenset({self.new_item(THREAD, node, short(node), live=live)}), False
            if row.effect in (Effect.PROCESS, Effect.PROCESS_RUNNING):
                live = row.effect is Effect.PROCESS_RUNNING
                return frozenset({self.new_item(PROCESS, node, short(node), live=live)}), False
        init = self.project.method(ref, "__init__")
        if init is not None:
            self.analysis.summary(init)
        return EMPTY

