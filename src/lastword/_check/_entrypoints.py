"""Finding the functions the platform can serve: declared, named by ``--target``, or shaped
like a function of a signature type.

What the signature types are, which decorators declare them and which parameter names
mark an undecorated function as one come from ``lastword._signatures``, the table the
runtime serves from, so the checker and the server cannot disagree about them.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from lastword._signatures import DECORATORS, EVENT_CONTEXT_PARAMS, SIGNATURES, SignatureType

from ._names import last_name
from ._project import FunctionNode, FunctionRef, ModuleInfo, Project

HTTP = "http"
EVENT = "event"
TYPED = "typed"
KINDS: dict[SignatureType, str] = {"http": HTTP, "cloudevent": EVENT, "event": EVENT, "typed": TYPED}
"""What the analysis needs of a signature type: an HTTP function's return value is the
response (LW302 applies); event functions may return None; typed functions return data."""

Why = Literal["declared", "target", "shaped"]


@dataclass(frozen=True)
class EntryPoint:
    ref: FunctionRef
    signature: SignatureType
    why: Why
    waits: bool = False  # ``@lastword.http(background="wait")``: the runtime waits

    @property
    def name(self) -> str:
        return self.ref.node.name

    @property
    def kind(self) -> str:
        return KINDS[self.signature]

    @property
    def registered(self) -> bool:
        return self.why != "shaped"


@dataclass(frozen=True)
class Skipped:
    """A function shaped like one the platform serves, that is not checked as one."""

    ref: FunctionRef
    signature: SignatureType
    reason: str


@dataclass(frozen=True)
class Discovery:
    entries: tuple[EntryPoint, ...]
    skipped: tuple[Skipped, ...] = ()


def declared_signature(module: ModuleInfo, node: FunctionNode) -> SignatureType | None:
    """The signature type a decorator of the function declares (``@functions_framework.http``,
    ``@lastword.cloud_event(background="wait")``...), or None."""
    for deco in node.decorator_list:
        expr = deco.func if isinstance(deco, ast.Call) else deco
        qual = module.qualify(expr)
        if qual is not None and qual in DECORATORS:
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


def shape_signature(node: FunctionNode) -> SignatureType | None:
    """The signature type a function's parameters look like (``def f(request)``,
    ``def f(cloud_event)``, ``def f(data, context)``), or None."""
    args = node.args
    params = [*args.posonlyargs, *args.args]
    if args.vararg or args.kwonlyargs:
        return None
    if len(params) == 1:
        param = params[0]
        ann = last_name(param.annotation) if param.annotation is not None else ""
        for sig in SIGNATURES.values():
            if sig.arity == 1 and (param.arg in sig.params or (ann and ann in sig.annotations)):
                return sig.name
    if len(params) == 2 and not args.defaults:
        first, second = params
        for sig in SIGNATURES.values():
            if sig.arity == 2 and first.arg in sig.params and second.arg in EVENT_CONTEXT_PARAMS:
                return sig.name
    return None


def find_entrypoints(
    project: Project, target: str | None = None, references: References | None = None
) -> Discovery:
    """Declared functions and the ``--target``; and, in the source file of each app, every
    function shaped like a signature type that the code does not use itself.

    An app's source file is its ``main.py`` (the platform's default), so a repository with
    several functions, each deployed from its own folder, is checked in one run. Without
    any ``main.py``, the source files are the modules that declare functions, or every
    module when none does. A shaped function that the checked code calls or passes around
    (tests excluded) is a helper, not an entry point: it is listed as skipped, with why.
    """
    found: list[EntryPoint] = []
    seen: set[int] = set()

    def add(module: ModuleInfo, node: FunctionNode, sig: SignatureType, why: Why) -> None:
        if id(node) not in seen:
            seen.add(id(node))
            waits = waits_for_background(module, node)
            found.append(EntryPoint(FunctionRef(module, node), sig, why, waits))

    declaring: list[ModuleInfo] = []
    for module in project.modules:
        for node in module.functions.values():
            sig = declared_signature(module, node)
            if sig is not None:
                add(module, node, sig, "declared")
                if not declaring or declaring[-1] is not module:
                    declaring.append(module)
    if target:
        for module in project.modules:
            chosen = module.functions.get(target)
            if chosen is not None:
                add(module, chosen, shape_signature(chosen) or "http", "target")
    if target and found:
        return Discovery(tuple(found))
    mains = [m for m in project.modules if posixpath.basename(m.path) == "main.py"]
    sources = mains or declaring or project.modules
    if references is not None:
        references.apps = {posixpath.dirname(m.path) for m in mains}
    skipped: list[Skipped] = []
    for module in sources:
        for node in module.functions.values():
            if node.name.startswith("_") or id(node) in seen:
                continue
            sig = shape_signature(node)
            if sig is None:
                continue
            used = references.find(node.name, module) if references is not None else None
            if used is None:
                add(module, node, sig, "shaped")
            else:
                reason = (
                    f"your code uses it at {used}, so it is checked as a helper of the "
                    "functions that call it"
                )
                skipped.append(Skipped(FunctionRef(module, node), sig, reason))
    return Discovery(tuple(found), tuple(skipped))


_TEST_PATH = re.compile(r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_test|conftest)\.py$")


class References:
    """Where the checked code (test modules excluded) uses a function by name: calls it,
    or passes it around (``Thread(target=f)``, ``submit(f, ...)``, ``return f``)."""

    def __init__(self, sources: Mapping[str, str | bytes], project: Project | None = None) -> None:
        self._sources = sources
        self._texts: list[tuple[str, bytes]] | None = None
        self._scripts: dict[str, list[tuple[int, int]]] = {}
        self.apps: set[str] = set()
        """Folders of the apps' main.py: a use counts only inside the same app."""
        if project is not None:
            for module in project.modules:
                blocks = _main_blocks(module.tree)
                if blocks:
                    self._scripts[module.path] = blocks

    def texts(self) -> list[tuple[str, bytes]]:
        if self._texts is None:
            self._texts = [
                (path, src.encode() if isinstance(src, str) else src)
                for path, src in self._sources.items()
                if not _TEST_PATH.search(path.replace("\\", "/"))
            ]
        return self._texts

    def find(self, name: str, module: ModuleInfo) -> str | None:
        """``path:line`` of the first use of function ``name`` of ``module``, or None."""
        raw = re.escape(name.encode())
        stem = re.escape(module.name.rsplit(".", 1)[-1].encode()) if module.name else raw
        pattern = re.compile(
            rb"(?<![\w.])" + raw + rb"\s*\("  # a call
            rb"|\b" + stem + rb"\." + raw + rb"\b"  # through its module
            rb"|(?:[=(\[{,:]|\breturn\b|\bawait\b|\byield\b)[ \t]*" + raw + rb"[ \t]*(?=[,)\]}\r\n#]|$)",
            re.M,
        )
        definition = re.compile(rb"\s*(?:async\s+)?def\s+" + raw + rb"\b")
        needle = name.encode()
        app = _app_of(posixpath.dirname(module.path), self.apps)
        for path, text in self.texts():
            if needle not in text:
                continue
            if self.apps and _app_of(posixpath.dirname(path), self.apps) != app:
                continue
            for match in pattern.finditer(text):
                start = text.rfind(b"\n", 0, match.start()) + 1
                end = text.find(b"\n", match.start())
                line = text[start : end if end >= 0 else len(text)]
                if definition.match(line) or b"#" in text[start : match.start()]:
                    continue
                number = text.count(b"\n", 0, match.start()) + 1
                if any(a <= number <= b for a, b in self._scripts.get(path, ())):
                    continue  # ``if __name__ == "__main__":`` tries it out locally
                return f"{path}:{number}"
        return None


def _app_of(folder: str, roots: set[str]) -> str | None:
    """The nearest folder at or above ``folder`` that holds a main.py."""
    while True:
        if folder in roots:
            return folder
        parent = posixpath.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _main_blocks(tree: ast.Module) -> list[tuple[int, int]]:
    """Line ranges of the module's ``if __name__ == "__main__":`` blocks."""
    out: list[tuple[int, int]] = []
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.If)
            and isinstance(stmt.test, ast.Compare)
            and isinstance(stmt.test.left, ast.Name)
            and stmt.test.left.id == "__name__"
            and len(stmt.test.comparators) == 1
            and isinstance(stmt.test.comparators[0], ast.Constant)
            and stmt.test.comparators[0].value == "__main__"
        ):
            out.append((stmt.lineno, stmt.end_lineno or stmt.lineno))
    return out


def target_exists(project: Project, target: str) -> bool:
    return any(target in m.functions for m in project.modules)
