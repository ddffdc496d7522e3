"""Refresh a cached price list; the caller decides when to wait for it."""

import asyncio
import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
PRICES: dict[str, float] = {}


async def _refresh(region: str) -> int:
    async with httpx.AsyncClient(base_url=BACKEND, timeout=5) as client:
        response = await client.get(f"/prices/{region}", params={"delay": "0.3"})
    PRICES[region] = float(response.status_code)
    return response.status_code


def start_refresh(region: str) -> "asyncio.Task[int]":
    return asyncio.create_task(_refresh(region))
