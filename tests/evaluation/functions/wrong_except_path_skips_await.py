"""Update a profile; the avatar cache is refreshed while the body is validated."""

import asyncio

from starlette.responses import JSONResponse

import lastword

_avatar_cache = {}


async def _refresh_avatar(user):
    await asyncio.sleep(0.6)  # the image service
    _avatar_cache[user] = f"https://avatars.example.com/{user}.png"


def _validate(body):
    name = body["name"]
    if not 0 < len(name) <= 64:
        raise ValueError("name must be 1 to 64 characters")
    return {"name": name, "bio": body.get("bio", "")}


@lastword.http
async def update_profile(request):
    user = request.query_params.get("user", "ada")
    refresh = asyncio.create_task(_refresh_avatar(user))
    try:
        profile = _validate(await request.json())
    except (KeyError, ValueError) as exc:
        return JSONResponse({"error": f"invalid profile: {exc}"}, status_code=400)
    await refresh
    return {"user": user, **profile, "avatar": _avatar_cache[user]}
