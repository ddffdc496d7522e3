"""Objects with a worker thread created when a module is imported (a batch span processor, a
logging handler with a background transport), which requests feed: what a request hands
them is done by their thread after the response, unless the request flushes them. And the
application's own logging handlers attached at import, whose ``emit`` a log call runs."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from . import _known as K
from ._effects import Known
from ._names import dotted, last_name
from ._project import ClassRef, FunctionRef, ModuleInfo, Project
from ._work import short


@dataclass(frozen=True)
class Worker:
    row: Known
    module: ModuleInfo
    node: ast.Call
    """The constructor call, at module level."""

    def detail(self) -> str:
        return (
            f"what this call hands to `{short(self.node, 50)}` (created at "
            f"{self.module.path}:{self.node.lineno} when the module is imported) is done by its "
            "worker thread, after the response"
        )


class Workers:
    """The module-level workers of a checked project, by the methods that feed them."""

    def __init__(self, project: Project) -> None:
        self.queues: dict[str, list[Worker]] = {}
        self.flush_methods: frozenset[str] = frozenset()
        rows = [row for row in K.ROWS if row.queues]
        prefixes = tuple({name.split(".")[0] + "." for row in rows for name in row.names})
        flushes: set[str] = set()
        for module in project.modules:
            if not any(f"{q}.".startswith(prefixes) for q in module.imports.values()):
                continue
            for worker in _module_level(module):
                flushes.update(worker.row.flushes)
                for method in worker.row.queues:
                    self.queues.setdefault(method, []).append(worker)
        self.flush_methods = frozenset(flushes)

    def __bool__(self) -> bool:
        return bool(self.queues)

    def fed_by(self, method: str, receiver: ast.expr | None) -> Worker | None:
        """The worker that ``receiver.method(...)`` hands work to, if any."""
        name = last_name(receiver).lower() if receiver is not None else ""
        for worker in self.queues.get(method, ()):
            hints = worker.row.queues_on
            if not hints or any(hint in name for hint in hints):
                return worker
        return None


def _module_level(module: ModuleInfo) -> list[Worker]:
    found: list[Worker] = []
    for stmt in module.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call):
                continue
            qual = module.qualify(node.func)
            row = K.TABLE.function(qual) if qual else None
            if row is None or not row.queues or _quiet(node):
                continue
            found.append(Worker(row, module, node))
    return found


def _quiet(node: ast.Call) -> bool:
    """Given a keyword that makes it start no thread (``transport=SyncTransport``)."""
    return any(
        last_name(kw.value) == K.QUIET_WITH.get(kw.arg or "") for kw in node.keywords
    )


ROOT = ""
"""The root logger's key in :class:`LogHandlers` (every logger's records reach it)."""


class LogHandlers:
    """The application's own logging handlers (``class H(logging.Handler)`` with an ``emit``)
    attached when a module is imported: a log call on their logger runs their ``emit``, in the
    request, so what ``emit`` starts (a thread posting the record) is the request's work."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.emits: dict[tuple[str, str], list[FunctionRef]] = {}
        """(module path, logger's global name) or (ROOT, ROOT) -> the emit methods."""
        for module in project.modules:
            if not any(q.partition(".")[0] == "logging" for q in module.imports.values()):
                continue  # it cannot attach a handler to a logger at import
            for stmt in module.tree.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Call):
                        self._attach(module, node)

    def __bool__(self) -> bool:
        return bool(self.emits)

    def _attach(self, module: ModuleInfo, call: ast.Call) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "addHandler" and call.args:
            logger = self._logger(module, func.value)
            handlers = [call.args[0]]
        elif module.qualify(func) == "logging.basicConfig":
            logger = (ROOT, ROOT)
            given = next((kw.value for kw in call.keywords if kw.arg == "handlers"), None)
            handlers = list(given.elts) if isinstance(given, (ast.List, ast.Tuple)) else []
        else:
            return
        if logger is None:
            return
        for handler in handlers:
            emit = self._emit(module, handler)
            if emit is not None:
                self.emits.setdefault(logger, []).append(emit)

    def _logger(self, module: ModuleInfo, node: ast.expr) -> tuple[str, str] | None:
        if _is_root(module, node):
            return ROOT, ROOT
        name = dotted(node)
        if name is None or "." in name:
            return None
        return module.path, name

    def _emit(self, module: ModuleInfo, handler: ast.expr) -> FunctionRef | None:
        """The user-defined ``emit`` of the handler class constructed here (or assigned to a
        module global that is passed here)."""
        ctor = None
        if isinstance(handler, ast.Call):
            ctor = module.qualify(handler.func)
        elif isinstance(handler, ast.Name):
            ctor = module.global_types.get(handler.id)
        ref = self.project.resolve(ctor, module) if ctor else None
        if not isinstance(ref, ClassRef):
            return None
        if not any(base.startswith("logging.") for base in self.project.class_bases(ref)):
            return None
        return self.project.method(ref, "emit")

    def of_call(self, module: ModuleInfo, receiver: ast.expr) -> list[FunctionRef]:
        """The emit methods a log call on ``receiver`` (in ``module``) runs: its logger's own
        handlers, and the root logger's (records propagate to it)."""
        found = list(self.emits.get((ROOT, ROOT), ()))
        name = dotted(receiver)
        if name is not None and "." not in name:
            found += self.emits.get((module.path, name), ())
        return found


def _is_root(module: ModuleInfo, node: ast.expr) -> bool:
    """``logging.getLogger()`` (no name) or ``logging.root``."""
    if isinstance(node, ast.Call):
        return module.qualify(node.func) == "logging.getLogger" and not node.args and not node.keywords
    return module.qualify(node) == "logging.root"
