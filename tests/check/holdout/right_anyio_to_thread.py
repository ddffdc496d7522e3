import anyio.to_thread
from PIL import Image

import lastword


def measure(path: str) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size


@lastword.http
async def image_size(request):
    path = request.query_params["path"]
    width, height = await anyio.to_thread.run_sync(measure, path)
    return {"width": width, "height": height}
