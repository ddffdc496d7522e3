"""Request bodies of the POST workloads: one source for the load (wrk) and the checks.

``body_10k()`` is byte for byte the document of bench/post_10k.lua (kept for
bench/server_choice.py); ``order_body()`` is the ~1.5 KiB order of the api workloads.
"""

from __future__ import annotations

import json
from typing import Any


def body_10k() -> bytes:
    """A ~10 KiB JSON document: 118 items of 6 fields (about 1,000 JSON values)."""
    parts: list[str] = []
    size = 2
    i = 0
    while size < 10200:
        item = (
            f'{{"id":{i},"name":"item-{i:05d}","tags":["alpha","beta","gamma"],'
            f'"price":{i * 3}.25,"ok":true}}'
        )
        parts.append(item)
        size += len(item) + 1
        i += 1
    return ('{"items":[' + ",".join(parts) + "]}").encode()


def order_document() -> dict[str, Any]:
    """An order as a shop's checkout would post it to a function."""
    names = [
        ("SKU-1001", "Espresso beans, 1 kg", 2, 24.90, 0.07),
        ("SKU-2040", "Ceramic pour-over dripper", 1, 32.00, 0.2),
        ("SKU-2041", "Paper filters, pack of 100", 3, 5.49, 0.2),
        ("SKU-3300", "Gooseneck kettle 0.8 l", 1, 69.95, 0.2),
        ("SKU-1010", "Decaf beans, 250 g", 2, 8.75, 0.07),
        ("SKU-4102", "Milk frother", 1, 19.99, 0.2),
        ("SKU-5001", "Gift wrapping", 1, 3.50, 0.2),
        ("SKU-1200", "Single-origin sampler", 1, 27.40, 0.07),
    ]
    return {
        "order_id": "ord_2026_11_000123",
        "created_at": "2026-11-21T07:12:19Z",
        "currency": "EUR",
        "channel": "web",
        "customer": {
            "id": "cus_8f3a2b91",
            "email": "ada.lovelace@example.com",
            "name": "Ada Lovelace",
            "tier": "gold",
            "marketing_opt_in": False,
        },
        "shipping": {
            "method": "express",
            "address": {
                "line1": "12 Analytical Street",
                "line2": "Flat 3",
                "city": "London",
                "postcode": "N1 9GU",
                "country": "GB",
            },
            "instructions": "Leave with the concierge if nobody answers.",
        },
        "items": [
            {"sku": sku, "name": name, "quantity": q, "unit_price": p, "tax_rate": r}
            for sku, name, q, p, r in names
        ],
        "coupon": "WINTER10",
        "metadata": {"session": "s_4e1f0c2d9a", "ab_bucket": "checkout-v2", "app": "1.42.0"},
    }


def order_body() -> bytes:
    return json.dumps(order_document(), indent=None).encode()


EVENT_HEADERS: tuple[tuple[str, str], ...] = (
    ("ce-specversion", "1.0"),
    ("ce-id", "b6a7c8d9-0000-4000-8000-000000000001"),
    ("ce-source", "//pubsub.googleapis.com/projects/bench/topics/orders"),
    ("ce-type", "com.example.order.created"),
    ("ce-time", "2020-09-29T11:32:00.000Z"),
)
"""The attributes of the CloudEvent workloads, as binary content mode carries them."""


def event_body() -> bytes:
    """The data of the CloudEvent workloads: 8 items of JSON, padded to exactly 1 KiB."""
    items = ",".join(
        f'{{"id":{i},"name":"item-{i:05d}","tags":["alpha","beta","gamma"],'
        f'"price":{i * 3}.25,"ok":true,"note":"{"x" * 26}"}}'
        for i in range(8)
    )
    text = '{"items":[' + items + "]}"
    return (text[:-2] + " " * (1024 - len(text)) + "]}").encode()
