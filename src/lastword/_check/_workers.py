"""Objects with a worker thread created when a module is imported (a batch span processor, a
logging handler with a background transport), which requests feed: what a request hands
them is done by their thread after the response, unless the request flushes them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from . import _known as K
from ._effects import Known
from ._names import last_name
from ._project import ModuleInfo, Project
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
