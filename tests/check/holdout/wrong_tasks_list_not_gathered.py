import asyncio
import logging

import lastword

logger = logging.getLogger(__name__)


async def warm_shard(shard: int) -> None:
    await asyncio.sleep(0.05)
    logger.info("warmed shard %d", shard)


@lastword.http
async def warmup(request):
    shards = int(request.query_params.get("shards", "4"))
    tasks = [asyncio.create_task(warm_shard(i)) for i in range(shards)]  # expect: LW101
    logger.info("started %d warmup tasks", len(tasks))
    return {"shards": shards}
