"""Price list for a region; the cache refresh starts early and is awaited before answering."""

import functions_framework.aio
from helpers import refresh


@functions_framework.aio.http
async def price_list(request):
    region = request.query_params.get("region", "eu")
    pending = refresh.start_refresh(region)
    currency = "EUR" if region == "eu" else "USD"
    status = await pending
    return {"region": region, "currency": currency, "source_status": status}
