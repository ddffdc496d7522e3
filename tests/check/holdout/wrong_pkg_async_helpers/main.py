import functions_framework.aio
from starlette.responses import JSONResponse

from . import audit, cache


@functions_framework.aio.http
async def update_item(request):
    item_id = request.path_params.get("id") or request.query_params["id"]
    body = await request.json()
    audit.log_change(item_id, body)  # expect: LW401
    cache.schedule_refresh(item_id)
    return JSONResponse({"id": item_id, "updated": True})
