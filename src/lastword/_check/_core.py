"""The bookkeeping of one function's walk: started work, finishing it, and leaving the function.

At every ``return`` and at the end of the body, work still live is a leftover (reported
where it started), unless it is returned to the caller or stored where another function
of the same class or module finishes it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ._known import SETTLE_FUNCS, SETTLE_METHODS
from ._names import dotted, last_name
from ._project import FunctionNode, FunctionRef, ModuleInfo
from ._scope import Scope
from ._work import (
    AWAITABLE,
    CORO,
    PARAM,
    PROCESS,
    THREAD,
    Analysis,
    Ids,
    Item,
    Report,
    Spawn,
    State,
    Summary,
    Val,
    is_generator,
    short,
)

GAVE_UP_FIX = (
    "check afterwards whether it still runs (is_alive(), done(), the not-done set) and stop it "
    "or answer accordingly, or wait without a timeout"
)


class FlowCore(Scope):
    """State of the walk of one function body (statements and expressions come on top)."""

    def __init__(self, analysis: Analysis, ref: FunctionRef, http_entry: bool, entry: bool) -> None:
        super().__init__(analysis.project, ref)
        self.analysis = analysis
        self.entry = entry
        """The platform calls this function: what it returns is the response."""
        self.http_entry = http_entry
        self.items: list[Item] = []
        self.reports: list[Report] = []
        self.leaked: set[int] = set()
        self.returned: list[Spawn] = []
        self.unsettled_params: set[str] = set()
        self.may_return_none = False
        self.reached_return = False
        self.loop_stack: list[int] = []
        self.loop_counter = 0
        self.finally_stack: list[list[ast.stmt]] = []
        self.break_states: list[list[State]] = []
        self.continue_states: list[list[State]] = []
        self.params: list[str] = []
        self.partial: Ids | None = None
        # Statement loops: the names bound to the element being iterated, and the work
        # finished through them, which counts as finished only when the loop runs to
        # its end (a ``return`` or ``break`` in the body leaves the other elements).
        self.elements: list[tuple[set[str], set[int]]] = []
        # Work waited for with a timeout inside the ``try`` bodies being walked: an
        # ``except`` that catches the timeout sees it still running.
        self.timed: list[set[int]] = []
        self.timeout_blocks: list[bool] = []  # ``async with asyncio.timeout()``; True: quiet
        self.comprehensions = 0
        self.telling = 0
        """Inside the arguments of a print or log call: what is computed there is only said."""
        self.generator = is_generator(self.node)
        self.is_async = isinstance(self.node, ast.AsyncFunctionDef) and not self.generator

    # -- what the layers above provide ------------------------------------------------

    def walk(self, body: list[ast.stmt]) -> None:
        raise NotImplementedError

    def eval(self, node: ast.expr | None) -> Val:
        raise NotImplementedError

    # -- results ---------------------------------------------------------------------

    def summary(self) -> Summary:
        never = not self.reached_return and not self.state.reachable and not self.generator
        return Summary(
            is_async=self.is_async,
            returns=tuple(dict.fromkeys(self.returned)),
            settles=frozenset(p for p in self.params if p not in self.unsettled_params),
            params=tuple(self.params),
            may_return_none=self.may_return_none and not self.generator and not self.is_async,
            never_returns=never,
        )

    def report(
        self, node: ast.AST, code: str, what: str, detail: str = "", fix: str = ""
    ) -> None:
        self.reports.append(
            Report(self.module, node, code, what, self.analysis.entry_name, detail, fix)
        )

    # -- items -----------------------------------------------------------------------

    def new_item(self, kind: str, node: ast.AST, what: str, live: bool = True) -> int:
        loop = self.loop_stack[-1] if self.loop_stack else None
        self.items.append(Item(kind, node, what, loop))
        item_id = len(self.items) - 1
        if live:
            self.state.live.add(item_id)
        return item_id

    def settle(self, ids: Iterable[int], collective: bool, via: ast.expr | None = None) -> None:
        defer = self.element_work(via)
        for item_id in ids:
            item = self.items[item_id]
            if item.loop is not None and item.loop not in self.loop_stack and not collective:
                continue  # only the last of the work started in that loop
            self.discard(item_id, defer)

    def discard(self, item_id: int, defer: set[int] | None) -> None:
        if defer is None:
            self.state.live.discard(item_id)
        else:
            defer.add(item_id)

    def element_work(self, via: ast.expr | None) -> set[int] | None:
        """Finishing work through a loop's element variable (``for t in threads:
        t.join()``) finishes this element only: the whole collection is finished
        when the loop runs to its end, not on a ``return``/``break`` inside it."""
        if isinstance(via, ast.Name):
            for names, deferred in reversed(self.elements):
                if via.id in names:
                    return deferred
        return None

    def consume(self, ids: Iterable[int]) -> None:
        """An awaitable handed to a scheduler or runner: it no longer dangles."""
        for item_id in ids:
            if self.items[item_id].kind in (CORO, PARAM):
                self.state.live.discard(item_id)

    def gave_up(self, ids: Iterable[int], wait: ast.AST, raises: bool) -> None:
        """A wait with a timeout: when the time is up the work goes on. A wait that raises
        (``f.result(timeout=5)``) finishes the work on the normal path, and an ``except``
        that catches the timeout sees it running; one that returns quietly
        (``t.join(timeout=5)``) leaves it running unless a check (``is_alive()``) follows."""
        line = getattr(wait, "lineno", 0)
        detail = (
            f"it is waited for at line {line} (`{short(wait, 50)}`), but that wait gives up "
            "after its timeout while the work goes on"
        )
        for item_id in ids:
            item = self.items[item_id]
            if item.kind == PARAM:
                continue
            item.detail = detail
            item.fix = GAVE_UP_FIX
            if raises:
                for frame in self.timed:
                    frame.add(item_id)
            else:
                item.bounded = True

    # -- leaving the function --------------------------------------------------------

    def exit(self, node: ast.Return | None, value: Ids) -> None:
        state = self.state
        if self.finally_stack:
            saved, stack = self.state, self.finally_stack
            self.state = saved.copy()
            self.finally_stack = []
            for body in reversed(stack):
                self.walk(body)
            state = self.state
            self.state, self.finally_stack = saved, stack
            if not state.reachable:
                return
        for item_id in state.live:
            item = self.items[item_id]
            if item.kind == PARAM:
                if item_id not in value and item.param is not None:
                    self.unsettled_params.add(item.param)
                continue
            if item_id in value:
                continue
            if item.worker is not None and not self.entry:
                # Work handed to a module-level worker: the caller can still flush it.
                spawn = Spawn(item.kind, item.what, True, item.worker, item.detail, item.fix)
                self.returned.append(spawn)
                continue
            if self.handled_elsewhere(item_id, state):
                continue
            self.leaked.add(item_id)
        for item_id in sorted(value):
            item = self.items[item_id]
            if item.kind == PARAM:
                continue
            is_live = item_id in state.live
            if self.entry:
                if item.kind in AWAITABLE and (is_live or item.kind == CORO):
                    self.report(
                        node if node is not None else item.node,
                        "LW301",
                        item.what or short(item.node),
                    )
                elif is_live:
                    self.leaked.add(item_id)
            elif is_live or item.kind in (THREAD, PROCESS):
                what = item.what or short(item.node)
                self.returned.append(Spawn(item.kind, what, started=is_live))

    def handled_elsewhere(self, item_id: int, state: State) -> bool:
        """Work stored on ``self`` or in a module global that another function finishes.

        A batching object keeps tasks in ``self._pending`` and awaits them in
        ``flush()``; that is not a leak of the method that started them.
        """
        for key, ids in state.env.items():
            if item_id not in ids:
                continue
            head, _, rest = key.partition(".")
            if head == "self" and rest and self.ref.cls is not None:
                owner = "self." + rest.split(".")[0]
                nodes = list(self.module.methods(self.ref.cls).values())
            elif head not in self.local_names and head not in self.local_funcs:
                owner = head
                nodes = all_functions(self.module)
            else:
                continue
            cache = self.analysis.settle_cache
            if any(n is not self.node and settles_key(n, owner, cache) for n in nodes):
                return True
            queue = self.items[item_id].queue
            if owner == head and queue is not None and any(
                n is not self.node and _joins(n, queue) for n in nodes
            ):
                # A worker thread kept in a module global, consuming a queue that a function of
                # the module joins: what a request puts on the queue is done when it returns.
                return True
        return False


def all_functions(module: ModuleInfo) -> list[FunctionNode]:
    out: list[FunctionNode] = list(module.functions.values())
    for cls in module.classes.values():
        out.extend(module.methods(cls).values())
    return out


def _joins(func: FunctionNode, queue: str) -> bool:
    """Does this function call ``queue.join()``?"""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and dotted(node.func.value) == queue
        for node in ast.walk(func)
    )


def _mentions(node: ast.AST, key: str) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)) and dotted(sub) == key:
            return True
    return False


def _is_settling(node: ast.AST) -> bool:
    if isinstance(node, ast.Await):
        return True
    if isinstance(node, ast.Call):
        name = last_name(node.func)
        return name in SETTLE_METHODS or name in SETTLE_FUNCS
    return False


def settles_key(func: FunctionNode, key: str, cache: dict[tuple[int, str], bool]) -> bool:
    """Does this function await/join/wait work reachable through ``key``?"""
    cache_key = (id(func), key)
    found = cache.get(cache_key)
    if found is not None:
        return found
    result = False
    for node in ast.walk(func):
        if isinstance(node, (ast.For, ast.AsyncFor)) and _mentions(node.iter, key):
            if any(_is_settling(sub) for stmt in node.body for sub in ast.walk(stmt)):
                result = True
                break
        elif _is_settling(node) and _mentions(node, key):
            result = True
            break
    cache[cache_key] = result
    return result
