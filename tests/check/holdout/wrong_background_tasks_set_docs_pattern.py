import asyncio
import logging

import lastword

log = logging.getLogger("audit")

background_tasks = set()


async def write_audit_record(user_id: str, action: str) -> None:
    await asyncio.sleep(0.1)
    log.info("audit %s %s", user_id, action)


@lastword.http
async def delete_account(request):
    user_id = request.path_params.get("user_id") or request.query_params["user"]
    task = asyncio.create_task(write_audit_record(user_id, "delete"))  # expect: LW101
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)
    return {"deleted": user_id}
