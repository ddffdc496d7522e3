"""Dashboard: profile, orders and alerts fetched concurrently from three services."""

import asyncio
import os

import functions_framework.aio
import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


@functions_framework.aio.http
async def dashboard(request):
    user = request.query_params.get("user", "ada")
    params = {"delay": "0.2"}
    async with httpx.AsyncClient(base_url=BACKEND, timeout=5) as client:
        profile, orders, alerts = await asyncio.gather(
            client.get(f"/profile/{user}", params=params),
            client.get(f"/orders/{user}", params=params),
            client.get(f"/alerts/{user}", params=params),
        )
    return {
        "user": user,
        "status": [profile.status_code, orders.status_code, alerts.status_code],
    }
