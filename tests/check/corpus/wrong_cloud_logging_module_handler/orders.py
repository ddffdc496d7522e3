import logging

log = logging.getLogger("orders")


def place(payload: dict) -> str:
    log.info("placing order for %s", payload.get("customer"))
    return "o-1"
