import lastword


async def fetch_profile(user_id: str) -> dict:
    return {}


@lastword.http
async def profile(request):
    user_id = request.query_params["id"]
    pending = fetch_profile(user_id)  # expect: LW401
    return {"id": user_id, "pending": str(pending)}
