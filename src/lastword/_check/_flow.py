"""Tracking the work a function starts, path by path, and whether it finishes in time.

A function body is walked once, statement by statement, with an abstract state:
which pieces of started work are still *live* (not awaited, joined, ...), and which
names refer to them. Branches are walked on copies of the state and merged, so work
finished on only one branch stays live. At every ``return`` and at the end of the
body, live work is a finding. Calls into the user's own functions use a summary of
the callee (is it a coroutine function, what running work does it return, which
parameters does it finish), computed the same way and cached.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable
from dataclasses import dataclass

from . import _known as K
from ._entrypoints import HTTP, EntryPoint
from ._names import add_import, dotted, last_name
from ._project import ClassRef, FunctionNode, FunctionRef, ModuleInfo, Project

TASK = "task"
CALLBACK = "callback"
FUTURE = "future"
MAP = "map"
THREAD = "thread"
PROCESS = "process"
CORO = "coroutine"
PARAM = "param"

BUILTINS = frozenset(dir(builtins))

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
EMPTY: tuple[Ids, bool] = (frozenset(), False)
Val = tuple[Ids, bool]  # item ids an expression refers to, and "is a collection of them"


@dataclass(frozen=True)
class Spawn:
    """Running work a function hands back to its caller."""

    kind: str
    what: str
    started: bool = True


@dataclass(frozen=True)
class Summary:
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


@dataclass
class Item:
    kind: str
    node: ast.AST
    what: str
    loop: int | None
    on_await: tuple[Spawn, ...] = ()
    executor: str | None = None
    param: str | None = None
    soon: bool = False  # call_soon: runs at the next await that yields to the loop


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


def partial_wait(node: ast.Call) -> bool:
    """``wait(..., return_when=FIRST_COMPLETED)``: returns before all are done."""
    for kw in node.keywords:
        if kw.arg == "return_when":
            return not (dotted(kw.value) or "").endswith("ALL_COMPLETED")
    return False


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


_SETTLE_FUNCS = frozenset(
    {"gather", "wait", "as_completed", "wait_until", "wait_for", "shield", "waitpid"}
)


def all_functions(module: ModuleInfo) -> list[FunctionNode]:
    out: list[FunctionNode] = list(module.functions.values())
    for cls in module.classes.values():
        out.extend(module.methods(cls).values())
    return out


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
        return name in K.SETTLE_METHODS or name in _SETTLE_FUNCS or name == "shutdown"
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


class Engine:
    """Runs the flow analysis from the entry points and collects reports."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.summaries: dict[int, Summary] = {}
        self.in_progress: set[int] = set()
        self.reports: list[Report] = []
        self.entry_name = ""
        self.settle_cache: dict[tuple[int, str], bool] = {}

    def run_entry(self, entry: EntryPoint) -> None:
        self.entry_name = entry.name
        flow = FunctionFlow(self, entry.ref, entry)
        flow.run()
        self.reports.extend(flow.reports)
        self.summaries.setdefault(id(entry.ref.node), flow.summary())

    def summary(self, ref: FunctionRef) -> Summary:
        key = id(ref.node)
        found = self.summaries.get(key)
        if found is not None:
            return found
        if key in self.in_progress:
            is_async = isinstance(ref.node, ast.AsyncFunctionDef) and not is_generator(ref.node)
            return Summary(is_async=is_async, params=tuple(param_names(ref.node)))
        self.in_progress.add(key)
        try:
            flow = FunctionFlow(self, ref, None)
            flow.run()
            self.reports.extend(flow.reports)
            result = flow.summary()
        finally:
            self.in_progress.discard(key)
        self.summaries[key] = result
        return result


class FunctionFlow:
    """The walk of one function body."""

    def __init__(self, engine: Engine, ref: FunctionRef, entry: EntryPoint | None) -> None:
        self.engine = engine
        self.project = engine.project
        self.ref = ref
        self.module = ref.module
        self.node = ref.node
        self.entry = entry
        self.items: list[Item] = []
        self.reports: list[Report] = []
        self.leaked: set[int] = set()
        self.returned: list[Spawn] = []
        self.unsettled_params: set[str] = set()
        self.may_return_none = False
        self.returns_value = False
        self.reached_return = False
        self.loop_stack: list[int] = []
        self.loop_counter = 0
        self.finally_stack: list[list[ast.stmt]] = []
        self.break_states: list[list[State]] = []
        self.continue_states: list[list[State]] = []
        self.scoped: list[str] = []
        self.local_types: dict[str, str] = {}
        self.local_funcs: dict[str, FunctionNode] = {}
        self.local_imports: dict[str, str] = {}
        self.params: list[str] = []
        self.local_names: set[str] = set()
        self.partial: Ids | None = None
        # Statement loops: the names bound to the element being iterated, and the work
        # finished through them, which counts as finished only when the loop runs to
        # its end (a ``return`` or ``break`` in the body leaves the other elements).
        self.elements: list[tuple[set[str], set[int]]] = []
        self.comprehensions = 0
        self.generator = is_generator(self.node)
        self.is_async = isinstance(self.node, ast.AsyncFunctionDef) and not self.generator
        self.state = State()

    # -- driver --------------------------------------------------------------------

    def run(self) -> None:
        names = param_names(self.node)
        args = self.node.args
        all_args = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        skip_first = self.ref.cls is not None and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in self.node.decorator_list
        )
        for index, arg in enumerate(all_args):
            if skip_first and index == 0:
                continue
            self.params.append(arg.arg)
            self.local_names.add(arg.arg)
            item = self.new_item(PARAM, arg, "", live=True)
            self.items[item].param = arg.arg
            self.state.env[arg.arg] = frozenset({item})
            if arg.annotation is not None:
                ann = self.qual(arg.annotation) or dotted(arg.annotation)
                if ann:
                    self.local_types[arg.arg] = ann
        del names
        self.walk(self.node.body)
        if self.state.reachable:
            self.exit(None, frozenset())
            if not self.generator:
                self.may_return_none = True
                if self.checks_none():
                    self.report(
                        self.node,
                        "LW302",
                        f"HTTP function `{self.node.name}` can reach its end without a return, so it",
                    )
        for leaked_id in sorted(self.leaked):
            leaked = self.items[leaked_id]
            self.report(leaked.node, RULE_OF[leaked.kind], leaked.what or short(leaked.node))

    def checks_none(self) -> bool:
        entry = self.entry
        if entry is None or entry.kind != HTTP or self.generator:
            return False
        return entry.registered or self.returns_value_somewhere()

    def returns_value_somewhere(self) -> bool:
        stack: list[ast.AST] = list(self.node.body)
        while stack:
            cur = stack.pop()
            if (
                isinstance(cur, ast.Return)
                and cur.value is not None
                and not (isinstance(cur.value, ast.Constant) and cur.value.value is None)
            ):
                return True
            if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            stack.extend(ast.iter_child_nodes(cur))
        return False

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

    def report(self, node: ast.AST, code: str, what: str) -> None:
        self.reports.append(Report(self.module, node, code, what, self.engine.entry_name))

    # -- items ---------------------------------------------------------------------

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
            if self.handled_elsewhere(item_id, state):
                continue
            self.leaked.add(item_id)
        for item_id in sorted(value):
            item = self.items[item_id]
            if item.kind == PARAM:
                continue
            is_live = item_id in state.live
            if self.entry is not None:
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
            if any(
                n is not self.node and settles_key(n, owner, self.engine.settle_cache)
                for n in nodes
            ):
                return True
        return False

    # -- names ---------------------------------------------------------------------

    def qual(self, node: ast.expr) -> str | None:
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.local_imports:
            base = self.local_imports[head]
            return f"{base}.{rest}" if rest else base
        if head in self.local_funcs or head in self.state.env:
            return None
        return self.module.qualify(node)

    def type_of(self, node: ast.expr) -> str:
        if isinstance(node, ast.Call):
            return self.qual(node.func) or dotted(node.func) or ""
        key = dotted(node)
        if key is None:
            return ""
        if key in self.local_types:
            return self.local_types[key]
        if key in self.module.global_types and key not in self.state.env:
            return self.module.global_types[key]
        head, _, attr = key.partition(".")
        if head == "self" and attr and "." not in attr and self.ref.cls is not None:
            return self.attr_type(self.ref.cls, attr)
        return ""

    def attr_type(self, cls: ast.ClassDef, attr: str) -> str:
        """The type of ``self.attr``: the constructor assigned to it in a method, the
        annotation of the parameter assigned to it (``self.repo = repo`` with
        ``repo: Repository``), or its annotation in the class body (dataclasses)."""
        key = f"self.{attr}"
        for stmt in cls.body:
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == attr
            ):
                return self.annotation_type(stmt.annotation)
        for meth in self.module.methods(cls).values():
            annotations = {
                a.arg: a.annotation
                for a in (*meth.args.posonlyargs, *meth.args.args, *meth.args.kwonlyargs)
                if a.annotation is not None
            }
            for node in ast.walk(meth):
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    targets, value = [node.target], node.value
                    if dotted(node.target) == key:
                        return self.annotation_type(node.annotation)
                else:
                    continue
                if not any(dotted(target) == key for target in targets):
                    continue
                if isinstance(value, ast.Call):
                    return self.module.qualify(value.func) or dotted(value.func) or ""
                if isinstance(value, ast.Name) and value.id in annotations:
                    return self.annotation_type(annotations[value.id])
        return ""

    def annotation_type(self, ann: ast.expr) -> str:
        """``Repo``, ``"Repo"``, ``Repo | None``, ``Optional[Repo]``: the class named."""
        if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
            try:
                ann = ast.parse(ann.value, mode="eval").body
            except SyntaxError:
                return ""
        if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
            for side in (ann.left, ann.right):
                if not (isinstance(side, ast.Constant) and side.value is None):
                    return self.annotation_type(side)
            return ""
        if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Optional":
            return self.annotation_type(ann.slice)
        if isinstance(ann, (ast.Name, ast.Attribute)):
            return self.module.qualify(ann) or dotted(ann) or ""
        return ""

    def is_scoped(self, key: str | None) -> bool:
        if key is None:
            return False
        if key in self.scoped:
            return True
        last = key.rsplit(".", 1)[-1].lower()
        return last in ("tg", "nursery") or "group" in last or "nursery" in last

    def resolve_call(self, func: ast.expr) -> FunctionRef | ClassRef | None:
        if isinstance(func, ast.Name):
            local = self.local_funcs.get(func.id)
            if local is not None:
                return FunctionRef(self.module, local, None)
            if func.id in self.state.env:
                return None
        elif isinstance(func, ast.Attribute):
            base = func.value
            if isinstance(base, ast.Name) and base.id in ("self", "cls") and self.ref.cls:
                return self.project.method(ClassRef(self.module, self.ref.cls), func.attr)
            owner = self.type_of(base)
            if owner:
                ref = self.project.resolve(owner, self.module)
                if isinstance(ref, ClassRef):
                    return self.project.method(ref, func.attr)
                return None
        qual = self.qual(func)
        if qual is None:
            return None
        return self.project.resolve(qual, self.module)

    # -- statements ----------------------------------------------------------------

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
        elif isinstance(node, ast.While):
            self.eval(node.test)
            infinite = isinstance(node.test, ast.Constant) and bool(node.test.value)
            self.loop(node.body, node.orelse, None, EMPTY, infinite=infinite)
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
                ctor = self.qual(value.func) or dotted(value.func)
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
                    ctor = self.qual(value.func) or dotted(value.func)
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
        else:
            self.returns_value = True
            if isinstance(value, ast.Call) and self.checks_none():
                ref = self.resolve_call(value.func)
                if isinstance(ref, FunctionRef):
                    callee = self.engine.summary(ref)
                    if callee.may_return_none:
                        self.report(
                            node,
                            "LW302",
                            f"`{short(value)}` can return None, so HTTP function "
                            f"`{self.node.name}`",
                        )
        if self.state.reachable:
            self.exit(node, ids)
        self.state.reachable = False

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
        self.state = body_state
        self.walk(node.body)
        after_body = self.state
        self.state = else_state
        self.walk(node.orelse)
        self.state.merge(after_body)

    def loop(
        self,
        body: list[ast.stmt],
        orelse: list[ast.stmt],
        target: ast.expr | None,
        val: Val,
        infinite: bool,
        at_end: Ids = frozenset(),
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
            self.state = before
            self.walk(orelse)
        for state in breaks:
            self.state.merge(state)

    def do_with(self, node: ast.With | ast.AsyncWith) -> None:
        pushed = 0
        for item in node.items:
            ids, _ = self.eval(item.context_expr)
            self.settle(ids, True)  # leaving the block closes it: Popen waits, pools shut down
            var = item.optional_vars
            if isinstance(var, ast.Name):
                self.bind(var, EMPTY, item.context_expr)
                self.scoped.append(var.id)
                pushed += 1
        self.walk(node.body)
        if pushed:
            del self.scoped[-pushed:]

    def do_try(self, node: ast.Try) -> None:
        before = self.state.copy()
        if node.body:
            # An exception from the first statement comes after what it awaits has
            # finished: a task that raised is done, and wait_for() cancels on timeout.
            before.live -= self.finished_if_raises(node.body[0])
        if node.finalbody:
            self.finally_stack.append(node.finalbody)
        self.walk(node.body)
        after_body = self.state.copy()
        self.walk(node.orelse)
        result = self.state
        for handler in node.handlers:
            start = before.copy()
            start.merge(after_body)
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
        """Tasks and futures a simple statement awaits directly (``await task``,
        ``await asyncio.wait_for(task, t)``): done even when the statement raises.
        Not a shielded task, which runs on, nor gather(), whose other tasks do. In a
        ``with`` block (``async with asyncio.timeout(5): await task``), the block's
        first statement: cancelling the awaiting function cancels the awaited task."""
        while isinstance(stmt, (ast.With, ast.AsyncWith)) and stmt.body:
            stmt = stmt.body[0]
        if not isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)):
            return set()
        out: set[int] = set()
        for sub in ast.walk(stmt):
            if not isinstance(sub, ast.Await):
                continue
            target = sub.value
            if isinstance(target, ast.Call) and self.qual(target.func) in K.WAIT_FOR:
                target = target.args[0] if target.args else target
            key = dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
            if key is not None and key not in self.state.coll:
                out |= self.state.env.get(key, frozenset())
        return out

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

    # -- Flask callbacks -----------------------------------------------------------

    def flask_decorators(self, node: FunctionNode) -> None:
        for deco in node.decorator_list:
            expr = deco.func if isinstance(deco, ast.Call) else deco
            if isinstance(expr, ast.Attribute) and expr.attr == K.CALL_ON_CLOSE:
                if self.real_work(node):
                    self.report(deco, "LW202", f"call_on_close callback `{node.name}`")
            elif (
                self.qual(expr) in K.AFTER_THIS_REQUEST or last_name(expr) == "after_this_request"
            ) and self.real_work(node):
                self.report(deco, "LW203", f"after_this_request callback `{node.name}`")

    def callback_node(self, expr: ast.expr) -> ast.AST | None:
        if isinstance(expr, ast.Lambda):
            return expr
        if isinstance(expr, ast.Name) and expr.id in self.local_funcs:
            return self.local_funcs[expr.id]
        ref = self.resolve_call(expr)
        if isinstance(ref, FunctionRef):
            return ref.node
        return None

    def real_work(self, node: ast.AST | None) -> bool:
        """Does a callback do more than edit the response and log?"""
        if node is None:
            return True
        response = ""
        body: list[ast.AST]
        if isinstance(node, ast.Lambda):
            body = [node.body]
            params = node.args.args
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = list(node.body)
            params = node.args.args
        else:
            return True
        if params:
            response = params[0].arg
        stack = body
        while stack:
            cur = stack.pop()
            if isinstance(cur, ast.Await):
                return True
            if isinstance(cur, ast.Call):
                name = dotted(cur.func) or ""
                head = name.partition(".")[0]
                last = name.rsplit(".", 1)[-1]
                cheap = (
                    (response and head == response)
                    or head in K.LOG_NAMES
                    or (last in K.LOG_METHODS and "." in name)
                    or (name in K.CHEAP_BUILTINS)
                )
                if not cheap:
                    return True
            if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            stack.extend(ast.iter_child_nodes(cur))
        return False

    # -- expressions ---------------------------------------------------------------

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
            return self.await_(self.eval(node.value), node.value)
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

    def await_(self, val: Val, via: ast.expr | None = None) -> Val:
        ids, collective = val
        defer = self.element_work(via)
        if self.partial is not None and self.partial == ids:
            self.partial = None
            return ids, True
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

    def call(self, node: ast.Call) -> Val:  # noqa: C901 - the table of known APIs
        func = node.func
        meth: str | None = None
        recv: ast.expr | None = None
        recv_key: str | None = None
        recv_val: Val = EMPTY
        if isinstance(func, ast.Attribute):
            meth = func.attr
            recv = func.value
            recv_key = dotted(recv)
            recv_val = self.eval(recv)
        qual = self.qual(func)
        arg_ids: set[int] = set()
        positional: list[Ids] = []
        for arg in node.args:
            ids = self.eval(arg)[0]
            positional.append(ids)
            arg_ids |= ids
        kw_vals: dict[str | None, Ids] = {}
        for kw in node.keywords:
            ids = self.eval(kw.value)[0]
            kw_vals[kw.arg] = ids
            arg_ids |= ids
        args = frozenset(arg_ids)

        if qual in K.WAIT_UNTIL:
            self.consume(args)
            self.settle(args, True)
            return EMPTY
        if qual in K.RUNNERS or meth in K.RUNNER_METHODS:
            self.consume(args)
            self.settle(args, True)
            return EMPTY
        if qual in K.TASK_FUNCS or (meth in K.TASK_METHODS and qual not in K.GATHER):
            self.consume(args)
            if meth in K.TASK_METHODS and self.is_scoped(recv_key):
                return EMPTY
            if qual == "asyncio.ensure_future" and args and all(
                self.items[i].kind != CORO for i in args
            ):
                return args, False
            return frozenset({self.new_item(TASK, node, short(node))}), False
        if qual in K.GATHER:
            coros = [i for i in args if self.items[i].kind in (CORO, PARAM)]
            self.consume(coros)
            rest = set(args) - set(coros)
            if coros:
                rest.add(self.new_item(TASK, node, short(node)))
            return frozenset(rest), True
        if qual in K.ASYNC_WAITERS:
            if partial_wait(node):
                self.partial = args  # awaiting it finishes only some of them
            return args, True
        if qual in K.SYNC_WAITERS:
            if partial_wait(node):
                return args, True  # (done, not_done): the rest is still running
            self.settle(args, True)
            return EMPTY
        if meth == "run_in_executor":
            return frozenset({self.new_item(FUTURE, node, short(node))}), False
        if meth in K.CALLBACK_METHODS:
            item = self.new_item(CALLBACK, node, short(node))
            self.items[item].soon = meth in ("call_soon", "call_soon_threadsafe")
            return frozenset({item}), False
        if recv is not None and meth is not None and not recv_val[0]:
            found = self.method_work(node, recv, recv_key, meth)
            if found is not None:
                return found
        if meth in ("shutdown", "join") and recv_key is not None and not recv_val[0]:
            wait = next((kw.value for kw in node.keywords if kw.arg == "wait"), None)
            if not (isinstance(wait, ast.Constant) and wait.value is False):
                done = [i for i, it in enumerate(self.items) if it.executor == recv_key]
                self.settle(done, True)
            if meth == "shutdown":
                return EMPTY
        if qual is not None:
            found = self.library_call(node, qual, args)
            if found is not None:
                return found
        if meth is not None and recv_val[0]:
            return self.handle_method(meth, recv_val, args, recv)
        if meth in K.CONTAINER_METHODS and recv_key is not None:
            if args:
                self.state.env[recv_key] = self.state.env.get(recv_key, frozenset()) | args
                self.state.coll.add(recv_key)
            return EMPTY
        if (
            isinstance(func, ast.Name)
            and func.id in K.CONSUMERS
            and qual is None
            and func.id not in self.local_funcs
        ):
            self.settle([i for i in args if self.items[i].kind == MAP], True)
            return frozenset(i for i in args if self.items[i].kind != MAP), True
        if meth in K.ASYNC_CLIENT_METHODS and recv is not None:
            owner = self.type_of(recv)
            if owner.endswith(K.ASYNC_CLIENT_TYPES):
                return frozenset({self.new_item(CORO, node, short(node))}), False
        ref = self.resolve_call(func)
        if isinstance(ref, FunctionRef):
            return self.user_call(node, ref, positional, kw_vals)
        if isinstance(ref, ClassRef):
            self.consume(args)
            return self.user_class(node, ref)
        if isinstance(func, ast.Name) and qual is None and func.id in BUILTINS:
            if func.id in K.TERMINAL_BUILTINS:
                self.state.reachable = False
            return EMPTY  # str(coro), print(task), ... do not run anything
        if meth in K.LOG_METHODS and recv is not None and last_name(recv) in K.LOG_NAMES:
            return EMPTY
        self.consume(args)
        return EMPTY

    def method_work(
        self, node: ast.Call, recv: ast.expr, recv_key: str | None, meth: str
    ) -> Val | None:
        """Methods that start work, judged by the receiver's type or name."""
        owner = self.type_of(recv)
        name = (recv_key or "").rsplit(".", 1)[-1].lower() if recv_key else ""
        executor = owner.endswith(K.EXECUTOR_TYPES) or any(h in name for h in K.EXECUTOR_NAME_HINTS)
        if meth in K.EXECUTOR_METHODS and executor and node.args:
            if self.is_scoped(recv_key):
                return EMPTY
            item = self.new_item(FUTURE, node, short(node))
            self.items[item].executor = recv_key
            return frozenset({item}), False
        if meth in K.EXECUTOR_MAP_METHODS and (owner.endswith("Executor") or "executor" in name):
            if self.is_scoped(recv_key):
                return EMPTY
            item = self.new_item(MAP, node, short(node))
            self.items[item].executor = recv_key
            return frozenset({item}), False
        if meth in K.POOL_ASYNC_METHODS and executor:
            if self.is_scoped(recv_key):
                return EMPTY
            item = self.new_item(FUTURE, node, short(node))
            self.items[item].executor = recv_key
            return frozenset({item}), False
        if meth == "publish" and (
            owner.endswith(K.PUBLISHER_TYPES) or any(h in name for h in K.PUBLISHER_NAME_HINTS)
        ):
            return frozenset({self.new_item(FUTURE, node, short(node))}), False
        if meth == "add_task" and (
            owner.endswith(K.BACKGROUND_TASKS_TYPES) or "background" in name
        ):
            self.report(node, "LW201", short(node))
            return EMPTY
        if meth == K.CALL_ON_CLOSE and node.args:
            callback = node.args[0]
            cheap = (
                isinstance(callback, ast.Attribute) and callback.attr in K.CHEAP_CALLBACKS
            )
            if not cheap and self.real_work(self.callback_node(callback)):
                self.report(node, "LW202", short(node))
            return EMPTY
        return None

    def library_call(self, node: ast.Call, qual: str, args: Ids) -> Val | None:
        if qual in K.THREAD_CLASSES:
            return frozenset({self.new_item(THREAD, node, short(node), live=False)}), False
        if qual in K.PROCESS_CLASSES:
            return frozenset({self.new_item(PROCESS, node, short(node), live=False)}), False
        if qual in K.POPEN:
            return frozenset({self.new_item(PROCESS, node, short(node))}), False
        if qual in K.RAW_THREAD_FUNCS:
            return frozenset({self.new_item(THREAD, node, short(node))}), False
        if qual in K.SPAWN_FUNCS:
            return frozenset({self.new_item(PROCESS, node, short(node))}), False
        if qual.startswith(K.SPAWN_NOWAIT_PREFIX) and node.args:
            mode = dotted(node.args[0]) or ""
            if mode.endswith("P_NOWAIT"):
                return frozenset({self.new_item(PROCESS, node, short(node))}), False
            return EMPTY
        if qual in K.ASYNC_SUBPROCESS:
            item = self.new_item(CORO, node, short(node))
            self.items[item].on_await = (Spawn(PROCESS, short(node)),)
            return frozenset({item}), False
        if qual in K.STDLIB_COROUTINES:
            self.consume(args)
            return frozenset({self.new_item(CORO, node, short(node))}), False
        if qual in K.SHELL_RUNNERS and node.args and _backgrounds(node.args[0]):
            return frozenset({self.new_item(PROCESS, node, short(node))}), False
        if qual in K.TERMINAL:
            self.state.reachable = False
            return EMPTY
        if qual.endswith(".BackgroundTask") and qual.startswith(("starlette", "fastapi")):
            self.report(node, "LW201", short(node))
            return EMPTY
        if qual in K.AFTER_THIS_REQUEST and node.args:
            if self.real_work(self.callback_node(node.args[0])):
                self.report(node, "LW203", short(node))
            return EMPTY
        return None

    def handle_method(self, meth: str, recv: Val, args: Ids, via: ast.expr | None) -> Val:
        ids, collective = recv
        if meth in K.START_METHODS:
            for item_id in ids:
                if self.items[item_id].kind in (THREAD, PROCESS):
                    self.state.live.add(item_id)
            return EMPTY
        if meth in K.SETTLE_METHODS:
            self.settle(ids, collective, via)
            defer = self.element_work(via)
            for item_id in ids:
                if self.items[item_id].kind in (CORO, PARAM):
                    self.discard(item_id, defer)
            return EMPTY
        if meth in K.CONTAINER_METHODS:
            return EMPTY
        if meth in ("copy", "values", "keys", "items"):
            return ids, True
        self.consume(args)
        return EMPTY

    def user_call(
        self,
        node: ast.Call,
        ref: FunctionRef,
        positional: list[Ids],
        kw_vals: dict[str | None, Ids],
    ) -> Val:
        summary = self.engine.summary(ref)
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
            what = f"{spawn.what} (started in {ref.node.name}())"
            out.add(self.new_item(spawn.kind, node, what, spawn.started))
        return frozenset(out), False

    def user_class(self, node: ast.Call, ref: ClassRef) -> Val:
        bases = self.project.class_bases(ref)
        if bases & K.THREAD_CLASSES:
            return frozenset({self.new_item(THREAD, node, short(node), live=False)}), False
        if bases & K.PROCESS_CLASSES:
            return frozenset({self.new_item(PROCESS, node, short(node), live=False)}), False
        if bases & K.POPEN:
            return frozenset({self.new_item(PROCESS, node, short(node))}), False
        init = self.project.method(ref, "__init__")
        if init is not None:
            self.engine.summary(init)
        return EMPTY
