"""One run of the flow analysis: entry points walked, callees summarised once, reports kept."""

from __future__ import annotations

import ast

from ._entrypoints import HTTP, EntryPoint
from ._flow import FunctionFlow
from ._project import FunctionRef, Project
from ._work import Report, Summary, is_generator, param_names
from ._workers import LogHandlers, Workers


class Engine:
    """Runs the flow analysis from the entry points and collects reports."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.summaries: dict[int, Summary] = {}
        self.in_progress: set[int] = set()
        self.reports: list[Report] = []
        self.entry_name = ""
        self.settle_cache: dict[tuple[int, str], bool] = {}
        self.hooks: set[tuple[int, str]] = set()
        self.workers = Workers(project)
        self.log_handlers = LogHandlers(project)

    def run_entry(self, entry: EntryPoint) -> None:
        self.entry_name = entry.name
        flow = FunctionFlow(self, entry.ref, entry=True, http_entry=entry.kind == HTTP)
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
            flow = FunctionFlow(self, ref)
            flow.run()
            self.reports.extend(flow.reports)
            result = flow.summary()
        finally:
            self.in_progress.discard(key)
        self.summaries[key] = result
        return result

    def run_hook(self, ref: FunctionRef, detail: str) -> None:
        """Walk a callback the framework runs before the response (Flask
        ``after_this_request``): the work it leaves running is a leftover."""
        key = (id(ref.node), self.entry_name)
        if key in self.hooks or id(ref.node) in self.in_progress:
            return
        self.hooks.add(key)
        self.in_progress.add(id(ref.node))
        try:
            flow = FunctionFlow(self, ref, detail=detail)
            flow.run()
            self.reports.extend(flow.reports)
        finally:
            self.in_progress.discard(id(ref.node))
