import asyncio

import functions_framework


async def render_report(request) -> str:
    return "report"


@functions_framework.http
def report(request):
    return asyncio.run(render_report(request))
