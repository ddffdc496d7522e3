from lastword import http, wait_until


async def audit(user: str) -> None:
    ...


@http
async def login(request):
    body = await request.json()
    wait_until(audit(body["user"]))
    return {"welcome": body["user"]}
