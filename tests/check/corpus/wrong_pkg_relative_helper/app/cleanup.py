import asyncio


def remove_temp(path: str) -> None:
    ...


def schedule_cleanup(path: str) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(300, remove_temp, path)  # expect: LW102
