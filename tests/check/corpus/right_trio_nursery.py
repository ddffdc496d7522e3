import trio
import lastword


async def fetch(url: str) -> None:
    ...


@lastword.http
async def crawl(request):
    async with trio.open_nursery() as nursery:
        for url in ("a", "b"):
            nursery.start_soon(fetch, url)
    return "crawled"
