"""Transactional e-mail through the mail relay's HTTP API."""

import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def send_welcome(email: str, name: str) -> None:
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.post(
            "/mail/send",
            params={"delay": "0.5"},
            json={"to": email, "template": "welcome", "vars": {"name": name}},
        )
