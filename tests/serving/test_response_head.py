"""The response head lastword's protocol writes, through its cache of header lines: the same bytes
every time, one Content-Length, and a bad header refused every time (never cached)."""

from __future__ import annotations

import asyncio
from typing import Any

from lastword._instance import Instance
from lastword._serving.protocol import HttpProtocol
from lastword._serving.server import Server

REQUEST = b"GET /p HTTP/1.1\r\nHost: x\r\n\r\n"


class _Transport:
    """Where the protocol writes (a socket stand-in that records)."""

    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5555), "sockname": ("127.0.0.1", 8080)}.get(name, default)

    def pause_reading(self) -> None: ...
    def resume_reading(self) -> None: ...
    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0


class _App:
    instance = Instance(8, 8)

    def __init__(self, headers: list[tuple[bytes, bytes]]):
        self.headers = headers

    async def startup(self) -> None: ...

    async def shutdown(self, grace: float | None = None) -> None: ...

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        await send({"type": "http.response.body", "body": b"hi"})


def _serve(headers: list[tuple[bytes, bytes]], requests: int) -> list[bytes]:
    """What the protocol writes for each of ``requests`` keep-alive requests (without the date)."""

    async def main() -> list[bytes]:
        server = Server(_App(headers))
        await server.start()
        protocol = HttpProtocol(server)
        transport = _Transport()
        protocol.connection_made(transport)  # type: ignore[arg-type]
        answers = []
        for _ in range(requests):
            transport.written = b""
            protocol.data_received(REQUEST)
            for _ in range(100):
                if transport.written.endswith(b"hi") or transport.closed:
                    break
                await asyncio.sleep(0)
            answers.append(b"".join(
                line + b"\r\n" for line in transport.written.split(b"\r\n") if not line.startswith(b"date:")
            ))
        await server.stop(grace=0)
        return answers

    return asyncio.run(main())


def test_the_same_headers_give_the_same_head_every_time() -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"2"), (b"x-trace", b"abc")]
    first, second, third = _serve(headers, 3)
    assert first == second == third
    assert first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert first.count(b"content-length:") == 1  # the app's own, also when its line was reused
    assert b"x-trace: abc\r\n" in first


def test_a_header_with_a_line_break_is_refused_every_time() -> None:
    headers = [(b"x-bad", b"a\r\nset-cookie: evil=1")]
    for answer in _serve(headers, 2):
        assert b"evil" not in answer
        assert answer.startswith(b"HTTP/1.1 500")


BAD_HEADER_FUNCTION = '''
from starlette.responses import Response

async def bad_header(request):
    return Response("hi", headers={"x-bad": "a\\r\\nset-cookie: evil=1"})
'''


def test_a_function_sending_a_header_with_a_line_break_gets_a_500(tmp_path: Any) -> None:
    """Through all of lastword: the head is refused before a byte of it is written, so the
    client is told (500), the connection is not just closed, and nothing is injected."""
    from lastword.testing import Client

    source = tmp_path / "main.py"
    source.write_text(BAD_HEADER_FUNCTION)
    with Client(str(source), "bad_header") as client:
        for _ in range(2):  # the second time too: a refused line is never remembered
            result = client.get("/")
            assert result.status == 500
            assert "evil" not in result.text
            assert result.headers.get("set-cookie") is None
