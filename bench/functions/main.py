"""Benchmark workloads: plain functions, no decorators, so that lastword and
functions-framework load them the same way (``--target NAME``).

hello_sync / hello_async   -> the 13 bytes "Hello, World!"
echo_sync / echo_async     -> the request body sent back as it came (not parsed): measures
                              how a runtime reads a 10 KiB body and writes one (returned as
                              str: ff --asgi takes str, dict or a Response, not bytes)
api_sync / api_async       -> a function that stands for a real one: an order (~1.5 KiB of
                              JSON) in, fields validated, totals computed, a summary (JSON) out;
                              a 400 with a message for a bad order
cloudevent_sync / _async   -> a CloudEvent in binary content mode (ce-* headers, 1 KiB of JSON
                              data) whose data the function reads; served with
                              ``--signature-type cloudevent`` by both runtimes

``price_order`` is shared with the bare ASGI app of bench/server_apps.py, so that every
runtime does the same work on the same bytes.
"""

from typing import Any


def hello_sync(request: Any) -> str:
    return "Hello, World!"


async def hello_async(request: Any) -> str:
    return "Hello, World!"


def echo_sync(request: Any) -> Any:
    return request.get_data(as_text=True)


async def echo_async(request: Any) -> Any:
    return (await request.body()).decode()


def api_sync(request: Any) -> Any:
    return price_order(request.get_json(silent=True))


async def api_async(request: Any) -> Any:
    try:
        doc = await request.json()
    except ValueError:
        doc = None
    return price_order(doc)


def cloudevent_sync(cloud_event: Any) -> None:
    if len(cloud_event.data["items"]) != 8:
        raise ValueError("unexpected event data")


async def cloudevent_async(cloud_event: Any) -> None:
    if len(cloud_event.data["items"]) != 8:
        raise ValueError("unexpected event data")


# --------------------------------------------------------------------------- the work

CURRENCIES = {"EUR", "USD", "GBP"}
SHIPPING = {"standard": 4.90, "express": 12.50, "pickup": 0.0}
COUPONS = {"WINTER10": 0.10, "WELCOME5": 0.05}
TIER_DISCOUNT = {"gold": 0.03, "silver": 0.01}


class BadOrder(ValueError):
    pass


def _field(doc: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadOrder(f"{where}{name} is missing or not a {getattr(kind, '__name__', kind)}")
    return value


def price_order(doc: Any) -> Any:
    """Validate an order and compute its totals. Returns a dict, or (dict, 400)."""
    try:
        return _price(doc)
    except BadOrder as exc:
        return {"error": str(exc)}, 400


def _price(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise BadOrder("the body must be a JSON object")
    order_id = _field(doc, "order_id", str, "")
    currency = _field(doc, "currency", str, "")
    if currency not in CURRENCIES:
        raise BadOrder(f"currency {currency!r} is not one of {sorted(CURRENCIES)}")
    customer = _field(doc, "customer", dict, "")
    email = _field(customer, "email", str, "customer.")
    if "@" not in email:
        raise BadOrder("customer.email is not an email address")
    shipping = _field(doc, "shipping", dict, "")
    method = _field(shipping, "method", str, "shipping.")
    if method not in SHIPPING:
        raise BadOrder(f"shipping.method {method!r} is not one of {sorted(SHIPPING)}")
    _field(_field(shipping, "address", dict, "shipping."), "country", str, "shipping.address.")
    items = _field(doc, "items", list, "")
    if not items:
        raise BadOrder("items is empty")
    subtotal = tax = 0.0
    lines = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadOrder(f"items[{i}] is not an object")
        where = f"items[{i}]."
        sku = _field(item, "sku", str, where)
        quantity = _field(item, "quantity", int, where)
        price = _field(item, "unit_price", (int, float), where)
        rate = _field(item, "tax_rate", (int, float), where)
        if not 1 <= quantity <= 1000 or price < 0 or not 0 <= rate <= 1:
            raise BadOrder(f"{where}quantity, unit_price or tax_rate is out of range")
        line = quantity * price
        subtotal += line
        tax += line * rate
        lines.append({"sku": sku, "total": round(line, 2)})
    discount = subtotal * (
        COUPONS.get(doc.get("coupon") or "", 0.0) + TIER_DISCOUNT.get(customer.get("tier"), 0.0)
    )
    fee = 0.0 if subtotal >= 100 and method == "standard" else SHIPPING[method]
    total = subtotal - discount + tax + fee
    return {
        "order_id": order_id,
        "status": "accepted",
        "currency": currency,
        "items": len(lines),
        "lines": lines,
        "subtotal": round(subtotal, 2),
        "discount": round(discount, 2),
        "tax": round(tax, 2),
        "shipping": round(fee, 2),
        "total": round(total, 2),
    }
