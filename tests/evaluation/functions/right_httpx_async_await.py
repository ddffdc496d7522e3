"""Enrich a contact with data from the CRM before answering."""

import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
client = httpx.AsyncClient(base_url=BACKEND, timeout=10)


async def enrich(request):
    contact = await request.json()
    response = await client.post("/crm/lookup", params={"delay": "0.3"}, json=contact)
    contact["crm_status"] = response.status_code
    return contact
