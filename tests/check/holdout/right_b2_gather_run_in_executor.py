import asyncio
import zlib

import lastword


def compress(chunk: bytes) -> bytes:
    return zlib.compress(chunk, 9)


@lastword.http
async def compress_chunks(request):
    body = await request.body()
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    loop = asyncio.get_running_loop()
    compressed = await asyncio.gather(*(loop.run_in_executor(None, compress, c) for c in chunks))
    return {"chunks": len(compressed), "bytes": sum(len(c) for c in compressed)}
