import asyncio

import aiohttp

import lastword


async def fetch_json(session: aiohttp.ClientSession, url: str) -> dict:
    async with session.get(url) as resp:
        return await resp.json()


@lastword.http
async def dashboard(request):
    async with aiohttp.ClientSession() as session, asyncio.TaskGroup() as tg:
        user_task = tg.create_task(fetch_json(session, "https://api.example/user"))
        feed_task = tg.create_task(fetch_json(session, "https://api.example/feed"))
    return {"user": user_task.result(), "feed": feed_task.result()}
