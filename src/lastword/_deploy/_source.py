"""What a function's folder holds, read without importing it.

Deploying happens on a machine that may not have the function's dependencies installed, so the
source is parsed (``ast``), never executed: which functions it defines, which one the decorators
declare and as what signature type, and where its dependencies are listed.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path

from .._config import Config
from .._signatures import DECORATORS, SignatureType
from . import DeployError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]


@dataclasses.dataclass(frozen=True)
class Source:
    folder: Path
    """The build context: the folder of the source file."""
    file: str
    """The source file, relative to ``folder``."""
    target: str
    signature_type: SignatureType
    dependencies: str | None
    """``requirements.txt`` or ``pyproject.toml`` (whose ``[project] dependencies`` are
    installed), or None."""
    lists_lastword: bool
    """The dependencies name lastword themselves."""


def inspect(config: Config) -> Source:
    """The source ``config`` points at, its target and the target's declared signature type."""
    path = Path(config.source)
    if path.is_dir():
        path = path / "main.py"
    if not path.is_file():
        raise DeployError(
            f"source file {config.source!r} not found (looked for {path.resolve()}): pass the file "
            "that defines your function, e.g. `lastword deploy container main.py --target NAME`"
        )
    path = path.resolve()
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as exc:
        raise DeployError(
            f"{path}:{exc.lineno}: {exc.msg}: the image would not start; fix the syntax first"
        ) from None
    defined = _top_level_names(tree)
    functions = ", ".join(_functions(tree)) or "no functions"
    declared = _declared(tree)
    target = config.target
    if target is None:
        if len(declared) != 1:
            choices = ", ".join(sorted(declared)) if declared else functions
            raise DeployError(
                f"which function should the image serve? Give --target NAME (or FUNCTION_TARGET); "
                f"{path.name} defines {choices}"
            )
        target = next(iter(declared))
    elif target not in defined and not _has_star_import(tree):
        raise DeployError(
            f"--target {target!r} is not defined at the top level of {path}; it defines {functions}"
        )
    dependencies, lists_lastword = _dependencies(path.parent)
    return Source(
        folder=path.parent,
        file=path.name,
        target=target,
        signature_type=declared.get(target, config.signature_type),
        dependencies=dependencies,
        lists_lastword=lists_lastword,
    )


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
    return names


def _functions(tree: ast.Module) -> list[str]:
    return [
        node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def _has_star_import(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
        for node in tree.body
    )


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted name it stands for (``import lastword as lw`` -> lw: lastword)."""
    aliases: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _declared(tree: ast.Module) -> dict[str, SignatureType]:
    """Top-level functions whose decorators declare a signature type."""
    aliases = _imports(tree)
    found: dict[str, SignatureType] = {}
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in node.decorator_list:
            name = _dotted(decorator)
            if name is None:
                continue
            head, _, rest = name.partition(".")
            resolved = aliases.get(head, head) + (f".{rest}" if rest else "")
            if resolved in DECORATORS:
                found[node.name] = DECORATORS[resolved]
    return found


def _dependencies(folder: Path) -> tuple[str | None, bool]:
    requirements = folder / "requirements.txt"
    if requirements.is_file():
        lines = requirements.read_text(errors="replace").splitlines()
        return "requirements.txt", any(_names_lastword(line) for line in lines)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        wanted = pyproject_requirements(pyproject)
        if wanted:
            return "pyproject.toml", any(_names_lastword(line) for line in wanted)
    return None, False


def _names_lastword(requirement: str) -> bool:
    text = requirement.split("#")[0].strip().lower()
    name = text
    for stop in "<>=!~;[ @":
        name = name.split(stop)[0]
    return name.strip() == "lastword"


def pyproject_requirements(path: Path) -> list[str]:
    """The ``[project] dependencies`` of a pyproject.toml."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DeployError(f"{path}: cannot read it as TOML ({exc})") from None
    project = data.get("project", {})
    dependencies = project.get("dependencies", []) if isinstance(project, dict) else []
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise DeployError(f"{path}: [project] dependencies must be a list of strings")
    return list(dependencies)
