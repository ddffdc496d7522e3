"""Finding the functions the platform calls: registered, ``--target`` or shaped like one."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from ._names import dotted, last_name
from ._project import FunctionNode, FunctionRef, ModuleInfo, Project

HTTP = "http"
EVENT = "event"
TYPED = "typed"

DECORATORS = {
    "lastword.http": HTTP,
    "lastword.cloud_event": EVENT,
    "lastword.event": EVENT,
    "functions_framework.http": HTTP,
    "functions_framework.cloud_event": EVENT,
    "functions_framework.typed": TYPED,
    "functions_framework.aio.http": HTTP,
    "functions_framework.aio.cloud_event": EVENT,
}

_HTTP_PARAMS = {"request", "req"}
_EVENT_PARAMS = {"cloud_event", "cloudevent", "event"}
_LEGACY_EVENT = ({"event", "data", "message", "pubsub_message"}, {"context", "ctx"})


@dataclass(frozen=True)
class EntryPoint:
    ref: FunctionRef
    kind: str
    registered: bool
    waits: bool = False  # ``@lastword.http(background="wait")``: the runtime waits

    @property
    def name(self) -> str:
        return self.ref.node.name


def decorator_kind(module: ModuleInfo, node: FunctionNode) -> str | None:
    for deco in node.decorator_list:
        expr = deco.func if isinstance(deco, ast.Call) else deco
        qual = module.qualify(expr)
        if qual in DECORATORS:
            return DECORATORS[qual]
    return None


def waits_for_background(module: ModuleInfo, node: FunctionNode) -> bool:
    """``@lastword.http(background="wait")``: lastword waits for leftover work itself."""
    for deco in node.decorator_list:
        if not isinstance(deco, ast.Call):
            continue
        qual = module.qualify(deco.func) or ""
        if not qual.startswith("lastword."):
            continue
        for kw in deco.keywords:
            if kw.arg == "background" and isinstance(kw.value, ast.Constant):
                return kw.value.value == "wait"
    return False


def shape_kind(node: FunctionNode) -> str | None:
    """HTTP or event when a function's parameters look like the platform's signatures."""
    args = node.args
    params = [*args.posonlyargs, *args.args]
    if args.vararg or args.kwonlyargs:
        return None
    if len(params) == 1:
        param = params[0]
        ann = last_name(param.annotation) if param.annotation is not None else ""
        if param.arg in _HTTP_PARAMS or ann == "Request":
            return HTTP
        if param.arg in _EVENT_PARAMS or ann == "CloudEvent":
            return EVENT
    if len(params) == 2 and not args.defaults:
        first, second = params
        if first.arg in _LEGACY_EVENT[0] and second.arg in _LEGACY_EVENT[1]:
            return EVENT
    return None


def find_entrypoints(
    project: Project,
    target: str | None = None,
    is_called: Callable[[str], bool] | None = None,
) -> list[EntryPoint]:
    """Registered functions and the ``--target``; else functions shaped like one.

    ``is_called(name)`` tells whether the checked code calls a function of that
    name: a shaped function that the code itself calls is a helper, not an entry.
    """
    found: list[EntryPoint] = []
    seen: set[int] = set()

    def add(module: ModuleInfo, node: FunctionNode, kind: str, registered: bool) -> None:
        if id(node) not in seen:
            seen.add(id(node))
            waits = waits_for_background(module, node)
            found.append(EntryPoint(FunctionRef(module, node), kind, registered, waits))

    for module in project.modules:
        for node in module.functions.values():
            kind = decorator_kind(module, node)
            if kind is not None:
                add(module, node, kind, True)
    if target:
        for module in project.modules:
            chosen = module.functions.get(target)
            if chosen is not None:
                add(module, chosen, shape_kind(chosen) or HTTP, True)
    if target and found:
        return found
    # Functions shaped like HTTP or event functions, in the main.py (the platform's
    # default source file) of each app that registers nothing; with no main.py at
    # all, in every module when nothing is registered anywhere. An app is the folder
    # of a main.py with its sub-folders that have no main.py of their own: a
    # checked tree can hold several functions, each deployed from its own folder.
    mains = [m for m in project.modules if posixpath.basename(m.path) == "main.py"]
    if mains:
        roots = {posixpath.dirname(m.path) for m in mains}
        registered = {_app_of(posixpath.dirname(e.ref.module.path), roots) for e in found}
        shaped = [m for m in mains if posixpath.dirname(m.path) not in registered]
    else:
        shaped = [] if found else project.modules
    for module in shaped:
        for node in module.functions.values():
            if node.name.startswith("_"):
                continue
            kind = shape_kind(node)
            if kind is not None and not (is_called is not None and is_called(node.name)):
                add(module, node, kind, False)
    return found


def _app_of(folder: str, roots: set[str]) -> str | None:
    """The nearest folder at or above ``folder`` that holds a main.py."""
    while True:
        if folder in roots:
            return folder
        parent = posixpath.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def target_exists(project: Project, target: str) -> bool:
    return any(target in m.functions for m in project.modules)


def is_registered_module(module: ModuleInfo) -> bool:
    return any(decorator_kind(module, n) for n in module.functions.values())


__all__ = ["EVENT", "HTTP", "TYPED", "EntryPoint", "find_entrypoints", "dotted"]
