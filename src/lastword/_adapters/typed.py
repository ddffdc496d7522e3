"""The ``typed`` signature type: ``def f(order: Order) -> Receipt``, sync or async.

The JSON body becomes the function's input type (see :mod:`lastword._typed`); a body that is not
JSON, or does not fit the type, gets 400 with the reason (the function is not called). The return
value is the response body, as JSON (``None`` is an empty 200, as in functions-framework).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import BadRequest
from .._events._http import JsonBody
from .._typed import InputMismatch, build_input, encode_result, input_kind
from ._acknowledged import Acknowledged, AcknowledgedCall
from ._base import Reply

if TYPE_CHECKING:
    from .._loader import LoadedFunction
    from .._request import Incoming


class TypedAdapter(Acknowledged):
    receives = "JSON documents"

    def __init__(self, loaded: LoadedFunction):
        super().__init__(loaded)
        self.input_type = loaded.input_type
        kind = input_kind(self.input_type)
        if kind is None:  # the loader refuses these; a hand-made LoadedFunction may not
            raise TypeError(f"{loaded.name}() has no usable input type: {self.input_type!r}")
        self.kind = kind
        self.type_name = getattr(self.input_type, "__qualname__", repr(self.input_type))

    def call(self, request: Incoming) -> TypedCall:
        self.check_method(request)
        body = JsonBody(request.body)
        if not body.ok:
            raise BadRequest(
                f"Bad Request: the request body {body.problem}; {self.name}() takes a JSON "
                f"document that becomes a {self.type_name}."
            )
        try:
            value = build_input(self.input_type, self.kind, body.value)
        except InputMismatch as error:
            raise BadRequest(f"Bad Request: {error}.") from None
        return TypedCall(self, request, (value,))


class TypedCall(AcknowledgedCall):
    __slots__ = ()

    def reply(self, result: Any) -> Reply:
        status, headers, body = encode_result(result)
        return Reply(status, headers, body)
