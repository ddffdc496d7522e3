"""Like an asyncio messaging client (aiokafka's sender, a batching publisher): the first send()
starts a long-lived flush task on the running loop; send() returns a future resolved when the
message has been flushed."""

import asyncio


class AsyncBatcher:
    def __init__(self, flush_delay: float = 0.05) -> None:
        self.flush_delay = flush_delay
        self.sent: list[str] = []
        self._queue: asyncio.Queue | None = None
        self._task: asyncio.Task | None = None

    async def send(self, item: str) -> asyncio.Future:
        if self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="AsyncBatcher._run")
        future = asyncio.get_running_loop().create_future()
        assert self._queue is not None
        await self._queue.put((item, future))
        return future

    async def _run(self) -> None:
        assert self._queue is not None
        while True:
            item, future = await self._queue.get()
            await asyncio.sleep(self.flush_delay)  # the network
            self.sent.append(item)
            if not future.done():
                future.set_result(len(self.sent))
