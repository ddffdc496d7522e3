"""Health page: probe every dependency concurrently with aiohttp and a TaskGroup."""

import asyncio
import os

import aiohttp

import lastword

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
SERVICES = ("db", "cache", "search")


async def _probe(session, name):
    async with session.get(f"{BACKEND}/health/{name}", params={"delay": "0.2"}) as response:
        return response.status


@lastword.http
async def health(request):
    async with aiohttp.ClientSession() as session, asyncio.TaskGroup() as group:
        probes = {name: group.create_task(_probe(session, name)) for name in SERVICES}
    return {name: probe.result() for name, probe in probes.items()}
