"""What the flow analysis tracks: pieces of started work, the abstract state, and results.

A function body is walked once, statement by statement, with an abstract state: which
pieces of started work are still *live* (not awaited, joined, ...), and which names refer
to them. Branches are walked on copies of the state and merged, so work finished on only
one branch stays live.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ._project import FunctionNode, FunctionRef, ModuleInfo, Project
    from ._workers import LogHandlers, Workers

TASK = "task"
CALLBACK = "callback"
FUTURE = "future"
MAP = "map"
THREAD = "thread"
PROCESS = "process"
CORO = "coroutine"
PARAM = "param"

RULE_OF = {
    TASK: "LW101",
    CALLBACK: "LW102",
    FUTURE: "LW103",
    MAP: "LW103",
    THREAD: "LW104",
    PROCESS: "LW105",
    CORO: "LW401",
}
AWAITABLE = frozenset({TASK, FUTURE, CORO, CALLBACK})

Ids = frozenset[int]
Val = tuple[Ids, bool]  # item ids an expression refers to, and "is a collection of them"
EMPTY: Val = (frozenset(), False)


@dataclass(frozen=True)
class Spawn:
    """Running work a function hands back to its caller."""

    kind: str
    what: str
    started: bool = True
    worker: int | None = None
    detail: str = ""
    fix: str = ""


@dataclass(frozen=True)
class Summary:
    """What a caller needs to know about a function of the checked code."""

    is_async: bool
    returns: tuple[Spawn, ...] = ()
    settles: frozenset[str] = frozenset()
    params: tuple[str, ...] = ()
    may_return_none: bool = False
    never_returns: bool = False


@dataclass(frozen=True)
class Report:
    module: ModuleInfo
    node: ast.AST
    code: str
    what: str
    entry: str = ""
    detail: str = ""
    """Added to the rule's message: why this case is reported."""
    fix: str = ""
    """Replaces the rule's advice: how to finish this work."""


@dataclass
class Item:
    """One piece of started work (or a parameter, to learn what a helper finishes)."""

    kind: str
    node: ast.AST
    what: str
    loop: int | None
    on_await: tuple[Spawn, ...] = ()
    executor: str | None = None
    param: str | None = None
    soon: bool = False  # call_soon: runs at the next await that yields to the loop
    in_thread: bool = False  # runs in a thread: cancelling its future or task does not stop it
    bounded: bool = False  # waited for with a timeout that can give up: a check settles it
    worker: int | None = None  # handed to a module-level worker thread (see _workers)
    queue: str | None = None  # a thread whose target consumes this module-level queue
    detail: str = ""
    fix: str = ""


class State:
    __slots__ = ("coll", "env", "live", "reachable")

    def __init__(self) -> None:
        self.live: set[int] = set()
        self.env: dict[str, frozenset[int]] = {}
        self.coll: set[str] = set()
        self.reachable = True

    def copy(self) -> State:
        new = State()
        new.live = set(self.live)
        new.env = dict(self.env)
        new.coll = set(self.coll)
        new.reachable = self.reachable
        return new

    def merge(self, other: State) -> None:
        if not other.reachable:
            return
        if not self.reachable:
            self.live = set(other.live)
            self.env = dict(other.env)
            self.coll = set(other.coll)
            self.reachable = True
            return
        self.live |= other.live
        for key, ids in other.env.items():
            mine = self.env.get(key)
            self.env[key] = ids if mine is None else mine | ids
        self.coll |= other.coll


def unreachable() -> State:
    state = State()
    state.reachable = False
    return state


class Analysis(Protocol):
    """What the walk of one function needs from the run it is part of."""

    project: Project
    entry_name: str
    settle_cache: dict[tuple[int, str], bool]
    workers: Workers
    log_handlers: LogHandlers

    def summary(self, ref: FunctionRef) -> Summary: ...

    def run_hook(self, ref: FunctionRef, detail: str) -> None: ...


def short(node: ast.AST, limit: int = 70) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse is total on parsed trees
        return "..."
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if isinstance(node, ast.Call):
        return short(node.func, limit) + "(...)"
    return text[: limit - 3] + "..."


def is_generator(node: FunctionNode) -> bool:
    stack: list[ast.AST] = list(node.body)
    while stack:
        cur = stack.pop()
        if isinstance(cur, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(cur))
    return False


def param_names(node: FunctionNode) -> list[str]:
    args = node.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
