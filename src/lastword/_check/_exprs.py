"""Expressions: what work an expression refers to, and what ``await`` finishes."""

from __future__ import annotations

import ast

from ._calls import CallFlow
from ._names import dotted
from ._work import CORO, EMPTY, MAP, PARAM, THREAD, Ids, Val


class ExprFlow(CallFlow):
    def eval(self, node: ast.expr | None) -> Val:  # noqa: C901 - a dispatcher
        if node is None:
            return EMPTY
        if isinstance(node, ast.Name):
            ids = self.state.env.get(node.id)
            if ids is None:
                return EMPTY
            return ids, node.id in self.state.coll
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Await):
            return self.await_(self.eval(node.value), node)
        if isinstance(node, ast.Attribute):
            key = dotted(node)
            if key is not None and key in self.state.env:
                return self.state.env[key], key in self.state.coll
            self.eval(node.value)
            return EMPTY
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out: set[int] = set()
            for elt in node.elts:
                out |= self.eval(elt)[0]
            return frozenset(out), True
        if isinstance(node, ast.Starred):
            return self.eval(node.value)[0], True
        if isinstance(node, ast.Dict):
            out = set()
            for key_node in node.keys:
                self.eval(key_node)
            for value in node.values:
                out |= self.eval(value)[0]
            return frozenset(out), True
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self.comprehension(node)
        if isinstance(node, ast.IfExp):
            self.eval(node.test)
            return self.eval(node.body)[0] | self.eval(node.orelse)[0], False
        if isinstance(node, ast.BoolOp):
            out = set()
            for value in node.values:
                out |= self.eval(value)[0]
            return frozenset(out), False
        if isinstance(node, ast.NamedExpr):
            val = self.eval(node.value)
            self.bind(node.target, val, node.value)
            return val
        if isinstance(node, ast.Subscript):
            ids, _ = self.eval(node.value)
            self.eval(node.slice)
            return ids, True
        if isinstance(node, ast.Lambda):
            return EMPTY
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child)
        return EMPTY

    def bind(self, target: ast.expr, val: Val, value: ast.expr | None) -> None:
        raise NotImplementedError

    def comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> Val:
        saved_env = dict(self.state.env)
        saved_coll = set(self.state.coll)
        self.loop_counter += 1
        self.comprehensions += 1
        pushed = 0
        for gen in node.generators:
            val = self.eval(gen.iter)
            self.settle([i for i in val[0] if self.items[i].kind == MAP], True)
            self.loop_stack.append(self.loop_counter)
            pushed += 1
            self.bind(gen.target, (val[0], True), None)
            for cond in gen.ifs:
                self.eval(cond)
        if isinstance(node, ast.DictComp):
            ids = self.eval(node.key)[0] | self.eval(node.value)[0]
        else:
            ids = self.eval(node.elt)[0]
        del self.loop_stack[-pushed:]
        self.comprehensions -= 1
        # Work created inside belongs to the collection, not to a loop variable.
        for item_id in ids:
            self.items[item_id].loop = self.loop_stack[-1] if self.loop_stack else None
        live, reachable = self.state.live, self.state.reachable
        self.state.env, self.state.coll = saved_env, saved_coll
        self.state.live, self.state.reachable = live, reachable
        return ids, True

    def await_(self, val: Val, node: ast.Await) -> Val:
        ids, collective = val
        via = node.value
        defer = self.element_work(via)
        if self.partial is not None and self.partial == ids:
            self.partial = None
            return ids, True
        if self.timeout_blocks:
            ids = self.in_timeout_block(ids, node)
        produced: set[int] = set()
        for item_id in list(self.state.live):
            if self.items[item_id].soon:
                self.state.live.discard(item_id)
        for item_id in ids:
            item = self.items[item_id]
            if item.kind == CORO:
                self.discard(item_id, defer)
                for spawn in item.on_await:
                    produced.add(self.new_item(spawn.kind, item.node, spawn.what, spawn.started))
            elif item.kind == PARAM:
                self.discard(item_id, defer)
        self.settle(ids, collective or len(ids) > 1, via)
        return frozenset(produced), False

    def in_timeout_block(self, ids: Ids, node: ast.Await) -> Ids:
        """Awaiting work that runs in a thread inside ``async with asyncio.timeout(...)``:
        when the time is up the await is cancelled, the thread runs on. Returns the ids the
        await still finishes on the normal path (all of them, unless the block is quiet)."""
        quiet = self.timeout_blocks[-1]
        going_on: list[int] = []
        for item_id in ids:
            item = self.items[item_id]
            if not item.in_thread:
                continue
            if item.kind == CORO:
                going_on.append(self.new_item(THREAD, item.node, item.what, live=quiet))
            else:
                going_on.append(item_id)
        if not going_on:
            return ids
        self.gave_up(going_on, node, raises=not quiet)
        if quiet:
            return frozenset(i for i in ids if i not in going_on)
        return ids
