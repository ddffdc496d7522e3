"""Finding the user's function: load the source file, pick the target, check its shape.

Every failure is a :class:`StartupError` whose message names what was expected, what was found
and what to do — raised before any port is opened.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from ._config import Config
from ._declare import Declaration, declaration_of
from ._errors import (
    BadSignature,
    SourceNotFound,
    TargetNotCallable,
    TargetNotFound,
    UserImportError,
)
from ._handlers import Registrations, collecting, handlers_of
from ._signatures import SIGNATURES, SignatureType, signature_type_named


@dataclasses.dataclass(frozen=True)
class LoadedFunction:
    """The user's function, ready to be adapted to a signature type."""

    function: Callable[..., Any]
    name: str
    source: Path
    module: ModuleType
    signature_type: SignatureType
    is_async: bool
    declared_by: str | None
    error_handlers: tuple[tuple[type[BaseException], Callable[..., Any]], ...] = ()
    """(exception class, handler) pairs the source registers (``@lastword.errorhandler``,
    ``@functions_framework.errorhandler``); one handler per class, the last registered."""
    input_type: Any = None
    """What a typed function receives (a dataclass, a pydantic model, a class with
    ``from_dict``); None for the other signature types."""

    @property
    def source_dir(self) -> Path:
        return self.source.parent

    @property
    def site(self) -> str:
        """``file:line`` of the function's definition."""
        return _where(self.function)


def load(config: Config) -> tuple[LoadedFunction, Config]:
    """Load ``config.source`` and return its target, and the configuration resolved: what the
    source declares (signature type, background policy) folded into ``config``, here only."""
    source = Path(config.source)
    if source.is_dir():
        source = source / "main.py"
    if not source.is_file():
        raise SourceNotFound(
            f"source file {str(config.source)!r} not found (looked for {source.resolve()}).\n"
            "Pass the file that defines your function: `lastword serve path/to/main.py --target NAME` "
            "(or set FUNCTION_SOURCE)."
        )
    source = source.resolve()
    if config.target is not None:
        export_environment(config.target)  # module-level code may read it, as under FF
    registrations = Registrations(str(source))
    with collecting(registrations):
        module = import_source(source)
    declared = declared_functions(module, registrations)
    target = config.target
    if target is None:
        if len(declared) == 1:
            target = next(iter(declared))
        else:
            raise TargetNotFound(_no_target_message(module, source, declared))
    if not hasattr(module, target):
        raise TargetNotFound(_missing_target_message(module, source, target, declared))
    function = getattr(module, target)
    if not callable(function):
        raise TargetNotCallable(
            f"{target!r} in {source} is a {type(function).__name__}, not a function.\n"
            f"Point --target at the function that handles requests, for example "
            f"`{SIGNATURES['http'].shape.format(name=target)}: ...`."
        )
    declaration = declared.get(target) or Declaration(config.signature_type, origin="")
    signature_type = declaration.signature_type
    origin = declaration.origin or None
    _check_arity(function, target, source, signature_type, origin)
    input_type = None
    if signature_type == "typed":
        from ._typed import typed_input

        input_type = typed_input(function, target, declaration.input_type, origin)
    loaded = LoadedFunction(
        function=function,
        name=target,
        source=source,
        module=module,
        signature_type=signature_type,
        is_async=is_async_callable(function),
        declared_by=origin,
        error_handlers=handlers_of(module, registrations),
        input_type=input_type,
    )
    resolved = config.replace(
        target=target,
        signature_type=signature_type,
        source=str(source),
        background=declaration.background or config.background,
    )
    export_environment(target, signature_type)
    return loaded, resolved


def export_environment(target: str, signature_type: SignatureType | None = None) -> None:
    """What functions-framework puts into the function's environment, whether it came from a flag,
    the environment or a decorator: ``FUNCTION_TARGET`` and ``FUNCTION_SIGNATURE_TYPE``."""
    os.environ["FUNCTION_TARGET"] = target
    if signature_type is not None:
        os.environ["FUNCTION_SIGNATURE_TYPE"] = signature_type


def is_async_callable(function: Any) -> bool:
    if inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(inspect.unwrap(function)):
        return True
    call = getattr(function, "__call__", None)  # noqa: B004 - callable objects with async __call__
    return call is not None and not inspect.isfunction(function) and inspect.iscoroutinefunction(call)


def import_source(source: Path) -> ModuleType:
    """Import ``source`` as a top-level module, its folder first on ``sys.path`` (as the platform)."""
    name = source.stem
    folder = str(source.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    from ._invocation import note_source_folder

    note_source_folder(folder)
    spec = importlib.util.spec_from_file_location(name, source)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a spec
        raise SourceNotFound(f"{source} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        if previous is not None:
            sys.modules[name] = previous
        else:
            sys.modules.pop(name, None)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise UserImportError(
            f"importing {source} raised {type(exc).__name__}; the function cannot be served.\n"
            + user_traceback(exc)
            + "Fix the error above (it happened while your module was being imported, before any "
            "request), then start again."
        ) from None
    return module


def user_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` from the first frame of the user's code on (lastword's, importlib's
    and the server's frames above it dropped)."""
    te = traceback.TracebackException.from_exception(exc)
    frames = list(te.stack)
    first = next((i for i, f in enumerate(frames) if is_user_file(f.filename)), len(frames))
    te.stack = traceback.StackSummary.from_list(frames[first:])
    return "".join(te.format())


def is_user_file(filename: str) -> bool:
    from ._invocation import is_user_file as outside_libraries

    return outside_libraries(filename)


def declared_functions(module: ModuleType, registrations: Registrations) -> dict[str, Declaration]:
    """Functions the module declares with lastword's or functions-framework's decorators.

    functions-framework's decorators (``http``, ``cloud_event``, ``typed``, and ``aio``'s) write
    the function's name into its ``REGISTRY_MAP`` (and a typed function's input type into
    ``INPUT_TYPE_MAP``), which were this load's ``registrations`` while the module was imported:
    a name registered there that the module defines is declared by them.
    """
    found: dict[str, Declaration] = {}
    for name, value in vars(module).items():
        declaration = declaration_of(value)
        if declaration is not None:
            found[name] = declaration
    for name, kind in registrations.kinds.items():
        value = getattr(module, name, None)
        if value is not None and callable(value) and name not in found:
            found[name] = Declaration(
                signature_type_named(str(kind)) or "http",
                origin="functions_framework",
                input_type=registrations.inputs.get(name),
            )
    return found


def _defined_callables(module: ModuleType) -> list[str]:
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    )


def _candidates(module: ModuleType) -> str:
    names = _defined_callables(module)
    if not names:
        return "It defines no functions."
    return "Functions defined there: " + ", ".join(names) + "."


def _no_target_message(module: ModuleType, source: Path, declared: dict[str, Any]) -> str:
    if declared:
        return (
            f"{source} declares several functions ({', '.join(sorted(declared))}); "
            "say which one to serve with --target NAME (or FUNCTION_TARGET)."
        )
    return (
        f"no target function given for {source}. {_candidates(module)}\n"
        "Pass --target NAME (or set FUNCTION_TARGET), or decorate the function with @lastword.http."
    )


def _missing_target_message(
    module: ModuleType, source: Path, target: str, declared: dict[str, Any]
) -> str:
    hint = ""
    close = [n for n in _defined_callables(module) if n.lower() == target.lower()]
    if close:
        hint = f" Did you mean {close[0]!r}?"
    return (
        f"function {target!r} is not defined in {source}. {_candidates(module)}{hint}\n"
        "Check --target (or FUNCTION_TARGET) against the name in the `def` line."
    )


def _check_arity(
    function: Callable[..., Any],
    target: str,
    source: Path,
    signature_type: SignatureType,
    origin: str | None,
) -> None:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return
    params = list(signature.parameters.values())
    positional = [
        p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    required = [p for p in positional if p.default is p.empty]
    required_kwonly = [p for p in params if p.kind == p.KEYWORD_ONLY and p.default is p.empty]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
    wanted = SIGNATURES[signature_type].arity
    if len(required) <= wanted and (len(positional) >= wanted or varargs) and not required_kwonly:
        return
    found = f"def {target}{signature}"
    where = _where(function)
    declared = f" (declared by @{origin})" if origin else ""
    raise BadSignature(
        f"{where}: {signature_type} function {target!r}{declared} must take {wanted} "
        f"positional parameter{'s' if wanted > 1 else ''}, but it is `{found}`.\n"
        f"A {signature_type} function looks like `{SIGNATURES[signature_type].shape.format(name=target)}`. "
        "Fix the parameters, or pass the right --signature-type."
    )


def _where(function: Callable[..., Any]) -> str:
    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:
        return "your function"
    return f"{code.co_filename}:{code.co_firstlineno}"
