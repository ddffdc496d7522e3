"""The user's modules, parsed once, and name resolution across them."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass, field

from ._names import collect_imports, dotted, qualify

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class ModuleInfo:
    path: str
    name: str
    is_package: bool
    tree: ast.Module
    imports: dict[str, str]
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    global_types: dict[str, str] = field(default_factory=dict)

    def qualify(self, node: ast.expr) -> str | None:
        """Qualified name of a name/attribute chain: imported, or defined here."""
        found = qualify(node, self.imports)
        if found is not None:
            return found
        name = dotted(node)
        if name is None:
            return None
        head = name.partition(".")[0]
        if head in self.functions or head in self.classes:
            return f"{self.name}.{name}" if self.name else name
        return None

    def methods(self, cls: ast.ClassDef) -> dict[str, FunctionNode]:
        return {
            stmt.name: stmt
            for stmt in cls.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        }


@dataclass(frozen=True)
class FunctionRef:
    module: ModuleInfo
    node: FunctionNode
    cls: ast.ClassDef | None = None

    @property
    def qualname(self) -> str:
        parts = [p for p in (self.module.name, self.cls.name if self.cls else "") if p]
        return ".".join([*parts, self.node.name])


@dataclass(frozen=True)
class ClassRef:
    module: ModuleInfo
    node: ast.ClassDef


def module_name_for(path: str) -> tuple[str, bool]:
    """A dotted module name from a path (``src/pkg/mod.py`` -> ``src.pkg.mod``)."""
    norm = posixpath.normpath(path.replace("\\", "/"))
    parts = [p for p in norm.split("/") if p not in ("", ".", "..")]
    if parts and ":" in parts[0]:
        parts = parts[1:]
    if not parts:
        return "", False
    stem = parts[-1]
    if stem.endswith(".py"):
        stem = stem[:-3]
    is_package = stem == "__init__"
    parts = parts[:-1] if is_package else [*parts[:-1], stem]
    parts = [p for p in parts if p.isidentifier()] or parts
    return ".".join(parts), is_package


def build_module(path: str, tree: ast.Module) -> ModuleInfo:
    name, is_package = module_name_for(path)
    info = ModuleInfo(path, name, is_package, tree, collect_imports(tree.body, name, is_package))
    for stmt in _top_level(tree.body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            info.functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            info.classes[stmt.name] = stmt
    for stmt in _top_level(tree.body):
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and isinstance(stmt.value, ast.Call):
            ctor = info.qualify(stmt.value.func) or dotted(stmt.value.func)
            if ctor is None:
                continue
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    info.global_types[target.id] = ctor
    return info


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.If):
            out.extend(_top_level(stmt.body))
            out.extend(_top_level(stmt.orelse))
        elif isinstance(stmt, ast.Try):
            out.extend(_top_level(stmt.body))
            for handler in stmt.handlers:
                out.extend(_top_level(handler.body))
            out.extend(_top_level(stmt.orelse))
        else:
            out.append(stmt)
    return out


class Project:
    """All checked modules, with module lookup by any dotted suffix of their path."""

    def __init__(self, modules: list[ModuleInfo]) -> None:
        self.modules = modules
        self._by_name: dict[str, list[ModuleInfo]] = {}
        for module in modules:
            parts = module.name.split(".") if module.name else []
            for i in range(len(parts)):
                self._by_name.setdefault(".".join(parts[i:]), []).append(module)

    def module(self, name: str, near: ModuleInfo | None = None) -> ModuleInfo | None:
        found = self._by_name.get(name)
        if not found:
            return None
        if len(found) == 1 or near is None:
            return found[0]
        here = posixpath.dirname(near.path)
        return max(found, key=lambda m: len(posixpath.commonprefix([here, m.path])))

    def resolve(
        self, qualname: str, near: ModuleInfo | None = None, depth: int = 0
    ) -> FunctionRef | ClassRef | None:
        """A user function, method or class by qualified name, or None."""
        if depth > 4:
            return None
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.module(".".join(parts[:cut]), near)
            if module is None:
                continue
            rest = parts[cut:]
            head = rest[0]
            if head in module.functions and len(rest) == 1:
                return FunctionRef(module, module.functions[head])
            if head in module.classes:
                cls = module.classes[head]
                if len(rest) == 1:
                    return ClassRef(module, cls)
                if len(rest) == 2:
                    meth = self.method(ClassRef(module, cls), rest[1])
                    return meth
                return None
            if head in module.imports:
                target = ".".join([module.imports[head], *rest[1:]])
                if target != qualname:
                    return self.resolve(target, module, depth + 1)
            return None
        return None

    def method(self, cls: ClassRef, name: str, depth: int = 0) -> FunctionRef | None:
        """A method of a user class, looked up through user base classes."""
        meth = cls.module.methods(cls.node).get(name)
        if meth is not None:
            return FunctionRef(cls.module, meth, cls.node)
        if depth > 5:
            return None
        for base in cls.node.bases:
            qual = cls.module.qualify(base)
            ref = self.resolve(qual, cls.module) if qual else None
            if isinstance(ref, ClassRef):
                found = self.method(ref, name, depth + 1)
                if found is not None:
                    return found
        return None

    def class_bases(self, cls: ClassRef, depth: int = 0) -> set[str]:
        """Qualified names of all (user and library) base classes of a user class."""
        out: set[str] = set()
        if depth > 5:
            return out
        for base in cls.node.bases:
            qual = cls.module.qualify(base) or dotted(base)
            if qual is None:
                continue
            out.add(qual)
            ref = self.resolve(qual, cls.module)
            if isinstance(ref, ClassRef):
                out |= self.class_bases(ref, depth + 1)
        return out
