"""Statements: assignments, branches, loops, ``with``, ``try`` and ``match``, path by path."""

from __future__ import annotations

import ast

from . import _known as K
from ._exprs import ExprFlow
from ._names import add_import, dotted, last_name
from ._project import FunctionRef
from ._work import EMPTY, MAP, PARAM, Ids, Val, short, unreachable

_CHECKS_RUNNING = frozenset({"is_alive", "running"})
_CHECKS_DONE = frozenset({"done"})
_RAISING_WAITS = frozenset({"result", "wait", "communicate", "exception"})


class StmtFlow(ExprFlow):
    def walk(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if not self.state.reachable:
                return
            self.stmt(stmt)

    def stmt(self, node: ast.stmt) -> None:  # noqa: C901 - a dispatcher
        if isinstance(node, ast.Expr):
            self.eval(node.value)
        elif isinstance(node, ast.Assign):
            self.assign(node.targets, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign([node.target], node.value)
        elif isinstance(node, ast.AugAssign):
            ids, _ = self.eval(node.value)
            key = self.key_of(node.target)
            if key is not None and ids:
                self.state.env[key] = self.state.env.get(key, frozenset()) | ids
                self.state.coll.add(key)
        elif isinstance(node, ast.Return):
            self.do_return(node)
        elif isinstance(node, ast.If):
            self.do_if(node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.do_for(node)
        elif isinstance(node, ast.While):
            self.eval(node.test)
            infinite = isinstance(node.test, ast.Constant) and bool(node.test.value)
            finished = self.check_guard(node.test, when=False)
            self.loop(node.body, node.orelse, None, EMPTY, infinite=infinite, on_exit=finished)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self.do_with(node)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.do_try(node)  # type: ignore[arg-type]
        elif isinstance(node, ast.Raise):
            if node.exc is not None:
                self.eval(node.exc)
            self.state.reachable = False
        elif isinstance(node, ast.Assert):
            self.eval(node.test)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.local_funcs[node.name] = node
            self.state.env.pop(node.name, None)
            self.flask_decorators(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            add_import(self.local_imports, node, self.module.name, self.module.is_package)
        elif isinstance(node, ast.Match):
            self.do_match(node)
        elif isinstance(node, ast.Break):
            if self.break_states:
                self.break_states[-1].append(self.state.copy())
            self.state.reachable = False
        elif isinstance(node, ast.Continue):
            if self.continue_states:
                self.continue_states[-1].append(self.state.copy())
            self.state.reachable = False
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                key = self.key_of(target)
                if key is not None and isinstance(target, ast.Name):
                    self.state.env.pop(key, None)

    # -- binding names ---------------------------------------------------------------

    def assign(self, targets: list[ast.expr], value: ast.expr) -> None:
        if (
            len(targets) == 1
            and isinstance(targets[0], (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(targets[0].elts) == len(value.elts)
            and not any(isinstance(e, ast.Starred) for e in (*targets[0].elts, *value.elts))
        ):
            vals = [self.eval(e) for e in value.elts]
            for target, elt, val in zip(targets[0].elts, value.elts, vals, strict=True):
                self.bind(target, val, elt)
            return
        val = self.eval(value)
        for target in targets:
            self.bind(target, val, value)

    def key_of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Subscript):
            return self.key_of(node.value)
        return dotted(node)

    def bind(self, target: ast.expr, val: Val, value: ast.expr | None) -> None:
        ids, collective = val
        if isinstance(target, ast.Name):
            if target.id not in self.declared_global:
                self.local_names.add(target.id)
            if not self.comprehensions:
                for names, _ in self.elements:
                    names.discard(target.id)
            self.state.env[target.id] = ids
            if collective:
                self.state.coll.add(target.id)
            else:
                self.state.coll.discard(target.id)
            self.local_funcs.pop(target.id, None)
            if isinstance(value, ast.Call):
                ctor = self.type_of(value)
                if ctor:
                    self.local_types[target.id] = ctor
                    return
            if isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
                ctor = self.qual(value.value.func) or ""
                if ctor:
                    self.local_types[target.id] = ctor
                    return
            self.local_types.pop(target.id, None)
        elif isinstance(target, ast.Attribute):
            key = dotted(target)
            if key is not None:
                self.state.env[key] = ids
                if collective:
                    self.state.coll.add(key)
                if isinstance(value, ast.Call):
                    ctor = self.type_of(value)
                    if ctor:
                        self.local_types[key] = ctor
            else:
                self.eval(target.value)
        elif isinstance(target, ast.Subscript):
            key = self.key_of(target)
            self.eval(target.slice)
            if key is not None and ids:
                self.state.env[key] = self.state.env.get(key, frozenset()) | ids
                self.state.coll.add(key)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self.bind(elt, (ids, collective), None)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, (ids, True), None)

    # -- returning -------------------------------------------------------------------

    def checks_none(self) -> bool:
        """Must this function return a response (an HTTP function the platform calls)?"""
        return self.http_entry and not self.generator

    def do_return(self, node: ast.Return) -> None:
        self.reached_return = True
        value = node.value
        ids: Ids = frozenset()
        if value is not None:
            ids, _ = self.eval(value)
        is_none = value is None or (isinstance(value, ast.Constant) and value.value is None)
        if is_none:
            self.may_return_none = True
            if self.checks_none():
                self.report(node, "LW302", f"this path of HTTP function `{self.node.name}`")
        elif isinstance(value, ast.Call) and self.checks_none():
            ref = self.resolve_call(value.func)
            if isinstance(ref, FunctionRef) and self.analysis.summary(ref).may_return_none:
                self.report(
                    node,
                    "LW302",
                    f"`{short(value)}` can return None, so HTTP function `{self.node.name}`",
                )
        if self.state.reachable:
            self.exit(node, ids)
        self.state.reachable = False

    # -- branches --------------------------------------------------------------------

    def guard(self, test: ast.expr) -> tuple[str | None, bool]:
        """(name, positive) when the test is ``name`` / ``name is not None`` or the negation."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            key, positive = self.guard(test.operand)
            return key, not positive
        if isinstance(test, (ast.Name, ast.Attribute)):
            return dotted(test), True
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
        ):
            key = dotted(test.left)
            if isinstance(test.ops[0], ast.IsNot):
                return key, True
            if isinstance(test.ops[0], ast.Is):
                return key, False
        return None, True

    def check_guard(self, test: ast.expr, when: bool) -> Ids:
        """Work that is finished when ``test`` is ``when``: ``t.is_alive()`` false,
        ``f.done()`` true, ``p.poll() is None`` false, and their negations."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.check_guard(test.operand, not when)
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
            and isinstance(test.left, ast.Call)
            and last_name(test.left.func) == "poll"
        ):
            running_when = isinstance(test.ops[0], ast.Is)
            return self.checked_work(test.left) if when != running_when else frozenset()
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute):
            meth = test.func.attr
            if meth in _CHECKS_RUNNING and not when or meth in _CHECKS_DONE and when:
                return self.checked_work(test)
        return frozenset()

    def checked_work(self, call: ast.Call) -> Ids:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return frozenset()
        key = dotted(func.value)
        if key is None or key in self.state.coll:
            return frozenset()
        return frozenset(i for i in self.state.env.get(key, ()) if self.items[i].kind != PARAM)

    def do_if(self, node: ast.If) -> None:
        self.eval(node.test)
        key, positive = self.guard(node.test)
        body_state = self.state.copy()
        else_state = self.state
        if key is not None and key in self.state.env:
            absent = else_state if positive else body_state
            for item_id in self.state.env[key]:
                if self.items[item_id].kind != PARAM:
                    absent.live.discard(item_id)
        if key is not None and key in self.state.env:
            checked = frozenset(i for i in self.state.env[key] if self.items[i].bounded)
            body_state.live -= checked  # ``if not_done:`` after a wait with a timeout
            else_state.live -= checked
        body_state.live -= self.check_guard(node.test, when=True)
        else_state.live -= self.check_guard(node.test, when=False)
        self.state = body_state
        self.walk(node.body)
        after_body = self.state
        self.state = else_state
        self.walk(node.orelse)
        self.state.merge(after_body)

    def do_match(self, node: ast.Match) -> None:
        self.eval(node.subject)
        before = self.state
        result = unreachable()
        exhaustive = False
        for case in node.cases:
            self.state = before.copy()
            if case.guard is not None:
                self.eval(case.guard)
            elif isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None:
                exhaustive = True
            self.walk(case.body)
            result.merge(self.state)
        if not exhaustive:
            result.merge(before)
        self.state = result

    # -- loops -----------------------------------------------------------------------

    def do_for(self, node: ast.For | ast.AsyncFor) -> None:
        it = node.iter
        if isinstance(it, ast.Call) and self.qual(it.func) in K.SYNC_AS_COMPLETED:
            # Iterating as_completed() waits for each future in turn: all of them
            # only when the loop runs to its end.
            out: set[int] = set()
            for arg in it.args:
                out |= self.eval(arg)[0]
            for kw in it.keywords:
                self.eval(kw.value)
            val: Val = (frozenset(out), True)
            at_end: Ids = val[0]
        else:
            val = self.eval(it)
            at_end = frozenset(i for i in val[0] if self.items[i].kind == MAP)
        self.loop(node.body, node.orelse, node.target, val, infinite=False, at_end=at_end)

    def loop(
        self,
        body: list[ast.stmt],
        orelse: list[ast.stmt],
        target: ast.expr | None,
        val: Val,
        infinite: bool,
        at_end: Ids = frozenset(),
        on_exit: Ids = frozenset(),
    ) -> None:
        self.loop_counter += 1
        before = self.state.copy()
        self.loop_stack.append(self.loop_counter)
        self.break_states.append([])
        self.continue_states.append([])
        names: set[str] = set()
        if target is not None:
            # Zero iterations means the collection is empty: none of its work exists.
            for item_id in val[0]:
                before.live.discard(item_id)
            self.bind(target, (val[0], True), None)
            names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        finished = set(at_end)
        self.elements.append((names, finished))
        try:
            self.walk(body)
        finally:
            self.elements.pop()
        for state in self.continue_states.pop():
            self.state.merge(state)
        breaks = self.break_states.pop()
        self.loop_stack.pop()
        end = self.state
        end.live -= finished  # every element went through the body
        if infinite:
            self.state = unreachable()
        else:
            before.merge(end)
            before.live -= on_exit  # the loop's condition says the work is done
            self.state = before
            self.walk(orelse)
        for state in breaks:
            self.state.merge(state)

    # -- with, try -------------------------------------------------------------------

    def do_with(self, node: ast.With | ast.AsyncWith) -> None:
        pushed = 0
        timeouts = 0
        for item in node.items:
            expr = item.context_expr
            ids, _ = self.eval(expr)
            self.settle(ids, True)  # leaving the block closes it: Popen waits, pools shut down
            if isinstance(expr, ast.Call):
                qual = self.qual(expr.func)
                if qual in K.TIMEOUT_BLOCKS or qual in K.QUIET_TIMEOUT_BLOCKS:
                    self.timeout_blocks.append(qual in K.QUIET_TIMEOUT_BLOCKS)
                    timeouts += 1
            var = item.optional_vars
            if isinstance(var, ast.Name):
                self.bind(var, EMPTY, expr)
                self.scoped.append(var.id)
                pushed += 1
        self.walk(node.body)
        if pushed:
            del self.scoped[-pushed:]
        if timeouts:
            del self.timeout_blocks[-timeouts:]

    def do_try(self, node: ast.Try) -> None:
        before = self.state.copy()
        if node.body:
            # An exception from the first statement comes after what it waits for has
            # finished: a task that raised is done, and wait_for() cancels on timeout.
            before.live -= self.finished_if_raises(node.body[0])
        if node.finalbody:
            self.finally_stack.append(node.finalbody)
        self.timed.append(set())
        try:
            self.walk(node.body)
        finally:
            timed = self.timed.pop()
        after_body = self.state.copy()
        self.walk(node.orelse)
        result = self.state
        for handler in node.handlers:
            start = before.copy()
            start.merge(after_body)
            if timed and catches_timeout(handler):
                # The wait gave up: the work it waited for is still running.
                start.live |= timed
            self.state = start
            if handler.type is not None:
                self.eval(handler.type)
            self.walk(handler.body)
            result.merge(self.state)
        if node.finalbody:
            self.finally_stack.pop()
        self.state = result
        if node.finalbody and result.reachable:
            self.walk(node.finalbody)

    def finished_if_raises(self, stmt: ast.stmt) -> set[int]:
        """Work a simple statement waits for directly (``await task``, ``await
        asyncio.wait_for(task, t)``, ``f.result()``, ``p.wait()``): done when the statement
        raises, since the exception is the work's own. Not a shielded task, which runs on,
        nor gather(), whose other tasks do, nor a thread joined with a timeout. (A timeout
        that leaves the work running is added back by ``gave_up``, for the handlers that
        catch it.) In a ``with`` block (``async with asyncio.timeout(5): await task``), the
        block's first statement: cancelling the awaiting function cancels the awaited task."""
        while isinstance(stmt, (ast.With, ast.AsyncWith)) and stmt.body:
            stmt = stmt.body[0]
        if not isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)):
            return set()
        out: set[int] = set()
        for sub in ast.walk(stmt):
            target: ast.expr | None = None
            if isinstance(sub, ast.Await):
                target = sub.value
                if isinstance(target, ast.Call) and self.qual(target.func) in K.WAIT_FOR:
                    target = target.args[0] if target.args else target
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                meth = sub.func.attr
                if meth in _RAISING_WAITS or (meth == "join" and not (sub.args or sub.keywords)):
                    target = sub.func.value
            if target is None:
                continue
            key = dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
            if key is not None and key not in self.state.coll:
                out |= self.state.env.get(key, frozenset())
        return out


def catches_timeout(handler: ast.ExceptHandler) -> bool:
    """Does this ``except`` catch a TimeoutError (or TimeoutExpired)?"""
    kind = handler.type
    if kind is None:
        return True
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(last_name(name) in K.TIMEOUT_CATCHERS for name in names)
