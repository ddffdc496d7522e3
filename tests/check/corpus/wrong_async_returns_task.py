import asyncio

import functions_framework.aio


async def build_page(request):
    ...


@functions_framework.aio.http
async def page(request):
    return asyncio.create_task(build_page(request))  # expect: LW301
