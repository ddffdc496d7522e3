"""The front door against bad and slow clients, with raw sockets on loopback: bounded input,
timeouts, every method, no smuggling, no echo, and good clients served throughout."""

from __future__ import annotations

import concurrent.futures
import resource
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from .test_process_model import APP, _entered

LIMITS = {"LASTWORD_LIMITS": "head_timeout=1,body_timeout=1.5,keep_alive=2"}
SECRET = b"secret-token-1234"


def _address(served: Any) -> tuple[str, int]:
    host, port = served.url.removeprefix("http://").split(":")
    return host, int(port)


def _exchange(served: Any, raw: bytes, timeout: float = 10.0) -> bytes:
    """Send ``raw``, read until the server closes (or ``timeout``): everything it answered."""
    with socket.create_connection(_address(served), timeout=timeout) as sock:
        sock.sendall(raw)
        reply = b""
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                reply += data
        except (ConnectionResetError, TimeoutError):
            pass
    return reply


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from conftest import start_server

    folder = tmp_path_factory.mktemp("front")
    served = start_server(folder, [str(APP), "--target", "method", "--log-format", "text"], env=LIMITS)
    yield served
    served.stop()


BAD = [
    ("custom method", b"FOO / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"200", b"FOO"),
    ("propfind", b"PROPFIND / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"200", b"PROPFIND"),
    ("not http", b"THIS IS NOT HTTP\r\n\r\n", b"400", b"Bad Request"),
    ("HTTP/0.9", b"GET /\r\n\r\n", b"505", b"HTTP Version Not Supported"),
    ("HTTP/2.0 line", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", b"505", b"HTTP Version"),
    ("URL over 8 KiB", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414", b"URI Too Long"),
    ("one huge header", b"GET / HTTP/1.1\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n", b"431", b"64 KiB"),
    ("too many headers", b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(300)) + b"\r\n", b"431", b"200 header"),
    ("length and chunked", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", b"400", b"Transfer-Encoding"),
    ("bad length", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", b"400", b"Bad Request"),
    ("bad chunk", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400", b"Bad Request"),
    ("header without colon", b"GET / HTTP/1.1\r\nHost x\r\n\r\n", b"400", b"Bad Request"),
    ("space before colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", b"400", b"Bad Request"),
    ("nul in header", b"GET / HTTP/1.1\r\nX-A: a\x00b\r\n\r\n", b"400", b"Bad Request"),
]


@pytest.mark.parametrize(("name", "raw", "status", "says"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_its_status(front: Any, name: str, raw: bytes, status: bytes, says: bytes) -> None:
    raw = raw.replace(b"\r\n\r\n", b"\r\nX-Secret: " + SECRET + b"\r\n\r\n", 1) if b"\r\n\r\n" in raw else raw
    reply = _exchange(front, raw)
    assert reply.startswith(b"HTTP/1.1 " + status), reply[:300]
    head, _, body = reply.partition(b"\r\n\r\n")
    assert says in body
    assert SECRET not in reply and b"Traceback" not in reply  # no echo of the request, ever
    assert b"\r\nserver:" not in head.lower()  # no Server header (no version to fingerprint)


def test_a_slow_request_head_gets_408(front: Any) -> None:
    started = time.monotonic()
    reply = _exchange(front, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    assert reply.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 5


def test_a_connection_that_sends_nothing_is_closed(front: Any) -> None:
    started = time.monotonic()
    assert _exchange(front, b"") == b""
    assert time.monotonic() - started < 5


def test_a_trickled_body_gets_408(front: Any) -> None:
    with socket.create_connection(_address(front), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        reply = b""
        started = time.monotonic()
        while time.monotonic() - started < 8:
            try:
                sock.sendall(b"x")
            except OSError:
                break
            sock.settimeout(1.0)
            try:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
            except TimeoutError:
                continue
    assert reply.startswith(b"HTTP/1.1 408"), reply
    assert b"too slowly" in reply


def test_an_idle_keep_alive_connection_is_closed(front: Any) -> None:
    with socket.create_connection(_address(front), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(4096)
        assert first.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert sock.recv(4096) == b""  # closed by the server once idle for keep_alive (2 s)
        assert 1.0 < time.monotonic() - started < 6


def test_good_clients_are_served_under_a_slowloris(front: Any) -> None:
    """Hundreds of connections sending a header a byte at a time do not starve normal requests."""
    slow: list[socket.socket] = []
    try:
        for _ in range(300):
            sock = socket.create_connection(_address(front), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-")
            slow.append(sock)
        started = time.monotonic()
        for _ in range(20):
            reply = _exchange(front, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert reply.startswith(b"HTTP/1.1 200")
        assert time.monotonic() - started < 10
        time.sleep(1.5)  # their heads are late: they are answered 408 and closed
        answered = 0
        for sock in slow:
            sock.settimeout(3)
            try:
                if sock.recv(64).startswith(b"HTTP/1.1 408"):
                    answered += 1
            except OSError:
                pass
        assert answered >= 290
    finally:
        for sock in slow:
            sock.close()


def test_pipelined_requests_are_answered_in_order(front: Any) -> None:
    raw = b"".join(
        b"%s / HTTP/1.1\r\nHost: x\r\n\r\n" % method for method in (b"GET", b"PUT", b"DELETE")
    ) + b"OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    reply = _exchange(front, raw)
    bodies = []
    while reply:
        head, _, rest = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        bodies.append(rest[:length])
        reply = rest[length:]
    assert bodies == [b"GET", b"PUT", b"DELETE", b"OPTIONS"]


def test_out_of_file_descriptors_is_logged_and_survived(tmp_path: Path) -> None:
    from conftest import start_server

    def few_descriptors() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))

    import subprocess

    original = subprocess.Popen.__init__

    served = None
    try:
        subprocess.Popen.__init__ = lambda self, *a, **k: original(self, *a, preexec_fn=few_descriptors, **k)  # type: ignore[method-assign]
        served = start_server(tmp_path, [str(APP), "--target", "method", "--log-format", "text"])
    finally:
        subprocess.Popen.__init__ = original  # type: ignore[method-assign]
    try:
        held = []
        for _ in range(160):  # more than the supervisor can hold (each is held twice: it and a worker)
            try:
                held.append(socket.create_connection(_address(served), timeout=2))
            except OSError:
                break
        served.wait_for_log("out of file descriptors")
        for sock in held:
            sock.close()
        time.sleep(0.5)
        reply = _exchange(served, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 200")
    finally:
        served.stop()


def test_requests_of_clients_that_left_are_not_run(serve: Any, tmp_path: Path) -> None:
    """Abandoned requests waiting for a thread are dropped: /hello is answered at once after."""
    served = serve(APP, "--target", "hello", "--threads", "2", "--log-format", "text",
                   env={"OUT_DIR": str(tmp_path)})
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        for _ in range(20):
            sock = socket.create_connection(_address(served), timeout=5)
            sock.sendall(b"GET /?s=2 HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.close()  # gone before the answer
        _entered(tmp_path, 2)
        started = time.monotonic()
        hello = pool.submit(_exchange, served, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert hello.result().startswith(b"HTTP/1.1 200")
        assert time.monotonic() - started < 5  # not 20 x 2 s / 2 threads
    log = served.wait_for_log("it was not called")
    assert "the client went away before hello() was called" in log
    assert (tmp_path / "entered").read_text().count(".") < 20
