"""Benchmark workloads: plain functions, no decorators, so that lastword and
functions-framework load them the same way (``--target NAME``).

hello_sync / hello_async   -> the 13 bytes "Hello, World!"
echo_sync / echo_async     -> the JSON body of the request, parsed and sent back
                              (10 KiB documents, see bench/post_10k.lua)
"""

from typing import Any


def hello_sync(request: Any) -> str:
    return "Hello, World!"


async def hello_async(request: Any) -> str:
    return "Hello, World!"


def echo_sync(request: Any) -> Any:
    return request.get_json()


async def echo_async(request: Any) -> Any:
    return await request.json()
