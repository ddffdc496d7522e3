"""Typed functions without I/O: which input types they take, the JSON body made into one, and the
return value made into a JSON body.

A typed function (``def f(order: Order) -> Receipt``) receives its decoded JSON body as an
instance of its input type, which is one of:

- a class with a ``from_dict`` class or static method (functions-framework's ``@typed``
  contract): ``Order.from_dict(value)``;
- a pydantic model (``model_validate``, or ``parse_obj`` for pydantic 1): pydantic is used only
  when the user's module imported it;
- a dataclass: the JSON object's members become its fields, checked against their annotations
  (str, int, float, bool, None, lists, dicts, unions, Literal, nested dataclasses; other
  annotations are not checked); a missing field without a default, or a member that is not a
  field, does not fit.

Whatever does not fit raises :class:`InputMismatch`, whose message (a lowercase clause, no final
period) names the field and what was expected, never the value that was sent.
"""

from __future__ import annotations

import dataclasses
import datetime
import inspect
import json
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from ._errors import BadSignature
from ._events._errors import json_kind

InputKind = Literal["from_dict", "pydantic", "dataclass"]
JSON_TYPE = (b"content-type", b"application/json")


class InputMismatch(ValueError):
    """The decoded body does not fit the input type."""


def input_kind(input_type: Any) -> InputKind | None:
    """How a body becomes an ``input_type``, or None when it cannot."""
    if callable(getattr(input_type, "from_dict", None)):
        return "from_dict"
    if not isinstance(input_type, type):
        return None
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and issubclass(input_type, pydantic.BaseModel):
        return "pydantic"
    if dataclasses.is_dataclass(input_type):
        return "dataclass"
    return None


def typed_input(
    function: Callable[..., Any], target: str, declared: Any, origin: str | None
) -> Any:
    """The input type of a typed function: the one its decorator names, or its parameter's
    annotation (both, only if they agree). A :class:`BadSignature` says what to write when there
    is none, or when it cannot be built from JSON."""
    inner = inspect.unwrap(function)
    code = getattr(inner, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else "your function"
    annotation = _first_annotation(inner)
    shape = f"def {target}(payload: Order)"
    if declared is not None and annotation is not None and declared is not annotation:
        raise BadSignature(
            f"{where}: typed function {target!r} names two input types: {_name(declared)} in "
            f"its decorator and {_name(annotation)} on its parameter. Keep one of them."
        )
    chosen = declared if declared is not None else annotation
    if chosen is None:
        raise BadSignature(
            f"{where}: typed function {target!r} has no input type: annotate its parameter "
            f"(`{shape}`) or name the type in the decorator (`@lastword.typed(Order)`), so "
            "lastword knows what to build from the request's JSON body."
        )
    if input_kind(chosen) is None:
        raise BadSignature(
            f"{where}: the input type of typed function {target!r}, {_name(chosen)}, cannot be "
            "built from JSON: make it a dataclass or a pydantic model, or give it a "
            "`from_dict(cls, value)` class method (functions-framework's contract)."
        )
    return chosen


def _first_annotation(function: Callable[..., Any]) -> Any:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    if not parameters or parameters[0].annotation is inspect.Parameter.empty:
        return None
    annotation = parameters[0].annotation
    if isinstance(annotation, str):  # `from __future__ import annotations`
        try:
            hints = typing.get_type_hints(function)
        except Exception:
            return None
        return hints.get(parameters[0].name)
    return annotation


def _name(value: Any) -> str:
    return getattr(value, "__qualname__", None) or repr(value)


# --- the body into the input type ---------------------------------------------------------------


def build_input(input_type: Any, kind: InputKind, value: Any) -> Any:
    """An ``input_type`` made from the decoded body ``value`` (:class:`InputMismatch` if it
    does not fit)."""
    if kind == "from_dict":
        try:
            return input_type.from_dict(value)
        except Exception as error:
            raise InputMismatch(
                f"the JSON body does not fit {_name(input_type)}: its from_dict() raised "
                f"{type(error).__name__}{_said(error)}"
            ) from error
    if kind == "pydantic":
        return _pydantic(input_type, value)
    return _dataclass(input_type, value, "")


def _said(error: BaseException) -> str:
    text = str(error)
    return f" ({text})" if text and len(text) <= 200 else ""


def _pydantic(model: Any, value: Any) -> Any:
    pydantic = sys.modules["pydantic"]
    validate = getattr(model, "model_validate", None) or model.parse_obj
    try:
        return validate(value)
    except pydantic.ValidationError as error:
        try:
            problems = error.errors(include_url=False, include_input=False)
        except TypeError:  # pydantic 1
            problems = error.errors()
        parts = []
        for problem in problems[:10]:
            where = ".".join(str(p) for p in problem.get("loc", ())) or "the body"
            parts.append(f"{where}: {problem.get('msg', 'invalid')}")
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise InputMismatch(
            f"the JSON body does not fit {_name(model)}: " + "; ".join(parts) + more
        ) from None


def _dataclass(cls: Any, value: Any, path: str) -> Any:
    where = f"{path} " if path else "the JSON body "
    if not isinstance(value, dict):
        raise InputMismatch(f"{where}is {_a(value)}; {_name(cls)} is built from a JSON object")
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        hints = {}
    fields = [f for f in dataclasses.fields(cls) if f.init]
    names = {f.name for f in fields}
    unknown = sorted(k for k in value if k not in names)
    if unknown:
        listed = ", ".join(repr(k[:40]) for k in unknown[:5])
        raise InputMismatch(
            f"{where}has {'a member' if len(unknown) == 1 else 'members'} {listed} that "
            f"{_name(cls)} has no field for (its fields: {', '.join(sorted(names)) or 'none'})"
        )
    arguments: dict[str, Any] = {}
    for field in fields:
        label = f"{path}.{field.name}" if path else field.name
        if field.name not in value:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise InputMismatch(f"field {label!r} is missing (required by {_name(cls)})")
            continue
        arguments[field.name] = _convert(hints.get(field.name, Any), value[field.name], label)
    try:
        return cls(**arguments)
    except Exception as error:  # __post_init__ validation
        raise InputMismatch(
            f"{_name(cls)}({', '.join(arguments)}) raised {type(error).__name__}{_said(error)}"
        ) from error


_SCALARS: dict[Any, tuple[tuple[type, ...], str]] = {
    str: ((str,), "a string"),
    int: ((int,), "an integer"),
    float: ((int, float), "a number"),
    bool: ((bool,), "true or false"),
}


def _convert(hint: Any, value: Any, label: str) -> Any:
    """``value`` checked against the annotation ``hint`` (nested dataclasses built)."""
    if hint is Any or hint is object:
        return value
    if hint is None or hint is type(None):
        if value is None:
            return None
        raise InputMismatch(f"field {label!r} must be null, not {_a(value)}")
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        if value is None and type(None) in args:
            return None
        problems = []
        for option in args:
            if option is type(None):
                continue
            try:
                return _convert(option, value, label)
            except InputMismatch as problem:
                problems.append(str(problem))
        raise InputMismatch(problems[0] if len(problems) == 1 else (
            f"field {label!r} is {_a(value)}, which fits none of {_describe(hint)}"
        ))
    if origin is Literal:
        if value in args and all(type(value) is type(a) for a in args if a == value):
            return value
        raise InputMismatch(
            f"field {label!r} must be one of {', '.join(json.dumps(a) for a in args)}"
        )
    if hint in _SCALARS:
        accepted, what = _SCALARS[hint]
        if isinstance(value, accepted) and (hint is bool or not isinstance(value, bool)):
            return float(value) if hint is float else value  # type: ignore[arg-type]
        raise InputMismatch(f"field {label!r} must be {what}, not {_a(value)}")
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, value, label)
    if origin in (list, set, frozenset, tuple) or hint in (list, set, frozenset, tuple):
        if not isinstance(value, list):
            raise InputMismatch(f"field {label!r} must be a JSON array, not {_a(value)}")
        item = args[0] if args and origin is not tuple else Any
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise InputMismatch(f"field {label!r} must have {len(args)} items, not {len(value)}")
            items = [
                _convert(a, v, f"{label}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True))
            ]
        else:
            items = [_convert(item, v, f"{label}[{i}]") for i, v in enumerate(value)]
        kind = origin or hint
        return items if kind is list else kind(items)
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise InputMismatch(f"field {label!r} must be a JSON object, not {_a(value)}")
        item = args[1] if len(args) == 2 else Any
        return {k: _convert(item, v, f"{label}.{k}") for k, v in value.items()}
    return value  # an annotation we do not check (a NewType, a class of the user's): as sent


def _a(value: Any) -> str:
    """"a string", "an object", "null": what a decoded JSON value is."""
    kind = json_kind(value)
    if kind == "null":
        return "null"
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _describe(hint: Any) -> str:
    return " | ".join(getattr(a, "__name__", repr(a)) for a in typing.get_args(hint))


# --- the return value into a response body ------------------------------------------------------


def encode_result(result: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """(status, headers, body) for what a typed function returned.

    None is an empty 200 (as in functions-framework); a str or bytes is sent as it is (as
    functions-framework does); a ``(value, status[, headers])`` tuple sets the status; anything
    else is sent as JSON: objects with ``to_dict()``, pydantic models, dataclasses (as
    ``json.dumps`` writes them, which is what functions-framework sends for ``to_dict()``), and
    dicts, lists and numbers (compact, keys sorted, a final newline: what functions-framework's
    Flask sends for them), dates as ISO 8601 strings.
    """
    status = 200
    extra: list[tuple[bytes, bytes]] = []
    if isinstance(result, tuple) and 2 <= len(result) <= 3 and isinstance(result[1], int):
        status = result[1]
        if len(result) == 3:
            extra = [
                (str(k).lower().encode("latin-1"), str(v).encode("latin-1"))
                for k, v in dict(result[2]).items()
            ]
        result = result[0]
    if result is None:
        return status, [(b"content-length", b"0"), *extra], b""
    if isinstance(result, str):
        body = result.encode()
        kind = (b"content-type", b"text/plain; charset=utf-8")
    elif isinstance(result, (bytes, bytearray, memoryview)):
        body = bytes(result)
        kind = (b"content-type", b"application/octet-stream")
    elif isinstance(result, (dict, list, int, float)):
        body = (
            json.dumps(result, separators=(",", ":"), sort_keys=True, default=_plain_or_refuse)
            + "\n"
        ).encode()
        kind = JSON_TYPE
    else:
        body = json.dumps(_plain(result), default=_plain_or_refuse).encode()
        kind = JSON_TYPE
    return status, [kind, (b"content-length", str(len(body)).encode()), *extra], body


def _plain(value: Any) -> Any:
    """JSON-ready data for a value of a known kind; the value itself otherwise."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return to_dict()
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        return dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    legacy = getattr(value, "dict", None)  # pydantic 1
    if callable(legacy) and hasattr(value, "__fields__") and not isinstance(value, type):
        return json.loads(value.json())
    return value


def _plain_or_refuse(value: Any) -> Any:
    plain = _plain(value)
    if plain is value:
        raise TypeError(
            f"a typed function's return value is sent as JSON, and {type(value).__name__} cannot "
            "be: return a dataclass, a pydantic model, an object with to_dict(), or dicts, lists, "
            "strings and numbers"
        )
    return plain
