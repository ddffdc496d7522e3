"""A typed function: the JSON body becomes an ``Order``, the ``Receipt`` returned is the JSON
response.

    lastword serve examples/typed/main.py --target checkout
    curl -s localhost:8080 -d '{"customer": "ada", "items": [{"sku": "tea", "quantity": 2}]}'
"""

import dataclasses

import lastword

PRICES = {"tea": 350, "scone": 275}


@dataclasses.dataclass
class Item:
    sku: str
    quantity: int = 1


@dataclasses.dataclass
class Order:
    customer: str
    items: list[Item]


@dataclasses.dataclass
class Receipt:
    customer: str
    total_cents: int
    lines: list[str]


@lastword.typed
def checkout(order: Order) -> Receipt:
    unknown = [i.sku for i in order.items if i.sku not in PRICES]
    if unknown:
        raise LookupError(f"no such product: {', '.join(unknown)}")
    lines = [f"{i.quantity} x {i.sku}" for i in order.items]
    total = sum(PRICES[i.sku] * i.quantity for i in order.items)
    return Receipt(order.customer, total, lines)


@lastword.errorhandler(LookupError)
def unknown_product(error):
    return {"error": str(error)}, 404
