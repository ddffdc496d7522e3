"""Import tables: which qualified name a local name or dotted expression refers to."""

from __future__ import annotations

import ast


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def last_name(node: ast.expr) -> str:
    """The last identifier of an expression (``b`` for ``a.b``, ``f`` for ``f()``)."""
    while True:
        if isinstance(node, ast.Attribute):
            return node.attr
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return ""


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    if name:
        parts.append(name)
    return ".".join(parts)


def add_import(
    table: dict[str, str], stmt: ast.Import | ast.ImportFrom, module: str, is_package: bool
) -> None:
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                table[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                table[top] = top
        return
    base = resolve_relative(module, is_package, stmt.level, stmt.module)
    for alias in stmt.names:
        if alias.name == "*":
            continue
        table[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name


def collect_imports(body: list[ast.stmt], module: str, is_package: bool) -> dict[str, str]:
    """Imports at module level, including those under ``if``/``try`` blocks."""
    table: dict[str, str] = {}
    stack = list(body)
    while stack:
        stmt = stack.pop(0)
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            add_import(table, stmt, module, is_package)
        elif isinstance(stmt, ast.If):
            stack.extend(stmt.body)
            stack.extend(stmt.orelse)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            stack.extend(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                stack.extend(handler.body)
            stack.extend(stmt.orelse)  # type: ignore[attr-defined]
    return table


def qualify(node: ast.expr, imports: dict[str, str]) -> str | None:
    """The qualified name of a dotted expression through the import table."""
    name = dotted(node)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    if head in imports:
        base = imports[head]
        return f"{base}.{rest}" if rest else base
    return None
