import asyncio

_CACHE: dict[str, dict] = {}


async def _refresh(item_id: str) -> None:
    await asyncio.sleep(0.5)
    _CACHE.pop(item_id, None)


def schedule_refresh(item_id: str) -> None:
    loop = asyncio.get_running_loop()
    loop.create_task(_refresh(item_id))  # expect: LW101
