import logging

logger = logging.getLogger("audit")


async def log_change(item_id: str, body: dict) -> None:
    logger.info("item %s changed: %s", item_id, sorted(body))
