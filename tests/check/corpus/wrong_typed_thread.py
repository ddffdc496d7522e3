import threading
from dataclasses import dataclass

import functions_framework


@dataclass
class Order:
    id: str

    @staticmethod
    def from_dict(d: dict) -> "Order":
        return Order(d["id"])


def sync_inventory(order_id: str) -> None:
    ...


@functions_framework.typed
def place(order: Order):
    threading.Thread(target=sync_inventory, args=(order.id,)).start()  # expect: LW104
    return order
