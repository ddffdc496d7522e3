import lastword
from lastword import wait_until


async def record_view(page: str) -> None:
    ...


@lastword.http
async def page_view(request):
    page = request.query_params.get("page", "/")
    wait_until(record_view(page))
    return {"page": page}
