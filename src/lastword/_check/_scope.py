"""Names and types inside one function: what a name refers to, what type a receiver has."""

from __future__ import annotations

import ast

from . import _known as K
from ._names import dotted, last_name
from ._project import ClassRef, FunctionNode, FunctionRef, ModuleInfo, Project
from ._work import State


class Scope:
    """The local tables of the function being walked, and name resolution through them."""

    def __init__(self, project: Project, ref: FunctionRef) -> None:
        self.project = project
        self.ref = ref
        self.module: ModuleInfo = ref.module
        self.node: FunctionNode = ref.node
        self.state = State()
        self.scoped: list[str] = []
        self.local_types: dict[str, str] = {}
        self.local_funcs: dict[str, FunctionNode] = {}
        self.local_imports: dict[str, str] = {}
        self.local_names: set[str] = set()
        self.declared_global = _declared_global(self.node)
        """Names of the ``global`` statements of this function: assigning them sets a global."""

    def consumed_queue(self, target: ast.expr) -> str | None:
        """The module-level queue a thread's target consumes (``item = jobs.get()`` ...
        ``jobs.task_done()``): the thread is that queue's worker."""
        ref = self.resolve_call(target)
        if not isinstance(ref, FunctionRef) or ref.module is not self.module:
            return None
        got: set[str] = set()
        done: set[str] = set()
        for node in ast.walk(ref.node):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                key = dotted(node.func.value)
                if key is not None and node.func.attr in ("get", "task_done"):
                    (got if node.func.attr == "get" else done).add(key)
        found = sorted(k for k in got & done if k in self.module.global_types)
        return found[0] if found else None

    def assigned(self, name: str) -> list[ast.expr]:
        """The values this function assigns to the local ``name`` (``name = ...``)."""
        values: list[ast.expr] = []
        stack: list[ast.AST] = list(self.node.body)
        while stack:
            cur = stack.pop()
            if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            if isinstance(cur, (ast.Assign, ast.AnnAssign)) and cur.value is not None:
                targets = cur.targets if isinstance(cur, ast.Assign) else [cur.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    values.append(cur.value)
            stack.extend(ast.iter_child_nodes(cur))
        return values

    def qual(self, node: ast.expr) -> str | None:
        """The qualified name of a name or attribute chain, through imports (local ones
        first); None for local variables."""
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
        """The (qualified when known) class of a receiver, or ""."""
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and dotted(func) is None:
                # A call chain: db.collection("c").document("d")
                owner = self.type_of(func.value)
                return K.TABLE.step(owner, func.attr) if owner else ""
            if isinstance(func, ast.Attribute) and K.TABLE.steps.get(func.attr):
                owner = self.type_of(func.value)
                stepped = K.TABLE.step(owner, func.attr) if owner else ""
                if stepped:
                    return stepped
            return self.qual(func) or dotted(func) or ""
        if isinstance(node, ast.Await):
            return self.type_of(node.value)
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
        """Is this receiver a ``with`` executor, a task group or a nursery, which waits
        for what it starts?"""
        if key is None:
            return False
        if key in self.scoped:
            return True
        last = key.rsplit(".", 1)[-1].lower()
        return last in K.SCOPE_NAMES or any(h in last for h in K.SCOPE_HINTS)

    def resolve_call(self, func: ast.expr) -> FunctionRef | ClassRef | None:
        """The function, method or class of the checked code that a call calls."""
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


def _declared_global(func: FunctionNode) -> frozenset[str]:
    """The names of its ``global`` statements (statements only: no expression holds one)."""
    names: set[str] = set()
    stack: list[ast.stmt] = list(func.body)
    while stack:
        cur = stack.pop()
        if isinstance(cur, ast.Global):
            names.update(cur.names)
        elif not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody"):
                stack.extend(getattr(cur, field, ()))
            for handler in getattr(cur, "handlers", ()):
                stack.extend(handler.body)
            for case in getattr(cur, "cases", ()):
                stack.extend(case.body)
    return frozenset(names)
