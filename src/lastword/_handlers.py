"""What a source registers while it is imported, collected for one load, without a registry of
ours: error handlers, and functions-framework's declarations.

Two spellings are honoured, for every signature type, sync and async:

- ``@lastword.errorhandler(KeyError)`` marks the handler function itself (see ``_declare``);
  the loader finds it among the module's functions.
- ``@functions_framework.errorhandler(KeyError)``: in functions-framework this name is a dummy
  until its ``create_app`` rebinds it to the Flask app's ``errorhandler``, just before it imports
  the user's module. lastword does the same, with a :class:`Registrations` bound to this load: while
  the user's module is imported, ``functions_framework.errorhandler`` is that object's
  :meth:`~Registrations.errorhandler`; afterwards the previous binding is put back and the
  registrations are closed (registering later raises). functions-framework is never imported for
  this: if the module imports it, an import hook rebinds the name as soon as it is loaded.

functions-framework's decorators write into its module-level ``REGISTRY_MAP`` (name -> signature
type) and ``INPUT_TYPE_MAP`` (name -> a typed function's input type). For the same reason, and the
same time, those two are swapped for dictionaries of this load: what they receive is what *this*
module declared (a function of the same name registered by a module loaded earlier in the process
does not count), and it is merged back into functions-framework's own afterwards.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

from ._declare import exception_class, handled_exceptions

FF_MODULE = "functions_framework"
FF_REGISTRY = "functions_framework._function_registry"

Handler = Callable[..., Any]
Handlers = tuple[tuple[type[BaseException], Handler], ...]


class Registrations:
    """``functions_framework.errorhandler`` while one source module is imported."""

    def __init__(self, source: str):
        self.source = source
        self.found: list[tuple[type[BaseException], Handler]] = []
        self.open = True
        self.kinds: dict[str, str] = {}
        """functions-framework's ``REGISTRY_MAP`` entries made by this load."""
        self.inputs: dict[str, Any] = {}
        """functions-framework's ``INPUT_TYPE_MAP`` entries made by this load."""

    def errorhandler(self, kind: Any) -> Callable[[Handler], Handler]:
        """Flask's ``app.errorhandler(code_or_exception)``: returns the decorator."""
        cls = exception_class(kind)

        def register(function: Handler) -> Handler:
            if not self.open:
                raise RuntimeError(
                    f"functions_framework.errorhandler({kind!r}) was called after {self.source} "
                    "was loaded; lastword collects error handlers while the module is imported: "
                    "register them at the top level of your module"
                )
            self.found.append((cls, function))
            return function

        return register


@contextlib.contextmanager
def collecting(registrations: Registrations) -> Iterator[None]:
    """While the block runs, ``functions_framework.errorhandler`` registers into ``registrations``."""
    rebound: list[tuple[ModuleType, Any]] = []
    swapped: list[tuple[ModuleType, dict[str, Any], dict[str, Any]]] = []

    def rebind(module: ModuleType) -> None:
        rebound.append((module, module.__dict__.get("errorhandler")))
        module.errorhandler = registrations.errorhandler  # type: ignore[attr-defined]
        registry = sys.modules.get(FF_REGISTRY)
        kinds = getattr(registry, "REGISTRY_MAP", None)
        inputs = getattr(registry, "INPUT_TYPE_MAP", None)
        if registry is not None and isinstance(kinds, dict) and isinstance(inputs, dict):
            swapped.append((registry, kinds, inputs))
            registry.REGISTRY_MAP = registrations.kinds  # type: ignore[attr-defined]
            registry.INPUT_TYPE_MAP = registrations.inputs  # type: ignore[attr-defined]

    hook: _RebindOnImport | None = None
    loaded = sys.modules.get(FF_MODULE)
    if loaded is not None:
        rebind(loaded)
    else:
        hook = _RebindOnImport(rebind)
        sys.meta_path.insert(0, hook)
    try:
        yield
    finally:
        registrations.open = False
        if hook is not None and hook in sys.meta_path:
            sys.meta_path.remove(hook)
        for module, previous in rebound:
            if previous is None:
                module.__dict__.pop("errorhandler", None)
            else:
                module.errorhandler = previous  # type: ignore[attr-defined]
        for registry, kinds, inputs in swapped:
            kinds.update(registrations.kinds)
            inputs.update(registrations.inputs)
            registry.REGISTRY_MAP = kinds  # type: ignore[attr-defined]
            registry.INPUT_TYPE_MAP = inputs  # type: ignore[attr-defined]


def handlers_of(module: ModuleType, registrations: Registrations) -> Handlers:
    """Every handler the module registered, by either spelling; for the same exception class the
    later registration wins (as in Flask)."""
    found: dict[type[BaseException], Handler] = {}
    for cls, function in registrations.found:
        found[cls] = function
    for value in list(vars(module).values()):
        if callable(value):
            for cls in handled_exceptions(value):
                found[cls] = value
    return tuple(found.items())


class _RebindOnImport(importlib.abc.MetaPathFinder):
    """Finds ``functions_framework`` with the other finders, and rebinds its ``errorhandler``
    once its ``__init__`` has run."""

    def __init__(self, rebind: Callable[[ModuleType], None]):
        self.rebind = rebind

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != FF_MODULE:
            return None
        sys.meta_path.remove(self)  # once is enough, and the search below must not find us
        spec: importlib.machinery.ModuleSpec | None = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _Rebinding(spec.loader, self.rebind)
        return spec


class _Rebinding(importlib.abc.Loader):
    """The real loader, then the rebinding."""

    def __init__(self, loader: Any, rebind: Callable[[ModuleType], None]):
        self.loader = loader
        self.rebind = rebind

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        self.rebind(module)

    def __getattr__(self, name: str) -> Any:  # get_source, is_package, get_resource_reader...
        return getattr(self.loader, name)
