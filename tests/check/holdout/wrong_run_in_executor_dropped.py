import asyncio
import json

import functions_framework.aio
from google.cloud import bigquery
from starlette.responses import JSONResponse

bq = bigquery.Client()


def insert_row(table: str, row: dict) -> None:
    errors = bq.insert_rows_json(table, [row])
    if errors:
        raise RuntimeError(json.dumps(errors))


@functions_framework.aio.http
async def track_click(request):
    row = await request.json()
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, insert_row, "analytics.clicks", row)  # expect: LW103
    return JSONResponse({"ok": True})
