import asyncio

import functions_framework


async def poll() -> None:
    ...


def run_forever_locally() -> None:
    loop = asyncio.new_event_loop()
    loop.create_task(poll())
    loop.run_forever()


@functions_framework.http
def hello(request):
    return "hello"


if __name__ == "__main__":
    run_forever_locally()
