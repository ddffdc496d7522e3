import asyncio

import lastword


def write_file(data: bytes) -> None:
    ...


@lastword.http
async def save(request):
    await asyncio.to_thread(write_file, await request.body())
    return "saved"
