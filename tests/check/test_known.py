"""The known-call table: its integrity, and that teaching the checker a library is a data change."""

from __future__ import annotations

import textwrap

import pytest

from lastword._check import _known as K
from lastword._check._analyze import check_sources
from lastword._check._apply import EFFECTS
from lastword._check._effects import Effect, Known, Table


def codes(source: str) -> list[tuple[int, str]]:
    found = check_sources({"main.py": textwrap.dedent(source)})
    return [(f.line, f.code) for f in found]


def test_every_effect_has_a_handler() -> None:
    assert set(EFFECTS) == set(Effect)


def test_a_name_is_in_one_row_only() -> None:
    with pytest.raises(ValueError, match="asyncio.sleep is in two rows"):
        Table((Known(Effect.COROUTINE, names=("asyncio.sleep",)),) * 2, ())


def test_rows_for_specific_receivers_come_first() -> None:
    rows = K.TABLE.by_method["get"]
    assert all(row.conditional for row in rows)
    rows = K.TABLE.by_method["create_task"]
    assert rows == (K.TABLE.by_name["asyncio.create_task"],)


def test_adding_a_library_is_adding_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """A made-up SDK whose Client.send_later() returns a future: unknown, then one row."""
    source = """\
        import functions_framework
        from acme.sdk import Client

        client = Client()


        @functions_framework.http
        def notify(request):
            client.send_later(request.get_json())
            return "queued"
        """
    assert codes(source) == []
    row = Known(Effect.FUTURE, methods=("send_later",), on=("acme.sdk.Client",))
    monkeypatch.setattr(K, "TABLE", Table((*K.ROWS, row), K.STEPS))
    assert codes(source) == [(9, "LW103")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """\
            from google.cloud import pubsub_v1
            import functions_framework

            publisher = pubsub_v1.PublisherClient()


            @functions_framework.http
            def f(request):
                publisher.publish("projects/p/topics/t", b"x")
                return "ok"
            """,
            [(9, "LW103")],
            id="pubsub-publish-future",
        ),
        pytest.param(
            """\
            from google.pubsub_v1 import PublisherAsyncClient
            import functions_framework.aio

            publisher = PublisherAsyncClient()


            @functions_framework.aio.http
            async def f(request):
                publisher.publish(topic="projects/p/topics/t", messages=[])
                return "ok"
            """,
            [(9, "LW401")],
            id="pubsub-async-client-coroutine",
        ),
        pytest.param(
            """\
            from google.cloud import storage
            import functions_framework


            @functions_framework.http
            def f(request):
                blob = storage.Client().bucket("b").blob("k")
                blob.upload_from_string(request.get_data())
                return "stored"
            """,
            [],
            id="storage-upload-is-synchronous",
        ),
        pytest.param(
            """\
            from google.cloud.firestore import AsyncClient
            import functions_framework.aio

            db = AsyncClient()


            @functions_framework.aio.http
            async def f(request):
                db.collection("a").document("b").collection("c").add({"x": 1})
                db.collection("a").where("x", "==", 1).limit(3).get()
                await db.collection("a").document("b").delete()
                return "ok"
            """,
            [(9, "LW401"), (10, "LW401")],
            id="firestore-async-chains",
        ),
        pytest.param(
            """\
            from google.cloud import firestore
            import functions_framework

            db = firestore.Client()


            @functions_framework.http
            def f(request):
                db.collection("a").document("b").set({"x": 1})
                return "ok"
            """,
            [],
            id="firestore-sync-client",
        ),
        pytest.param(
            """\
            import httpx
            import functions_framework.aio


            @functions_framework.aio.http
            async def f(request):
                async with httpx.AsyncClient() as client:
                    client.post("https://example.com", json={})
                    await client.get("https://example.com")
                return "ok"
            """,
            [(8, "LW401")],
            id="httpx-async-client",
        ),
        pytest.param(
            """\
            import aiohttp
            import functions_framework.aio


            @functions_framework.aio.http
            async def f(request):
                async with aiohttp.ClientSession() as session:
                    async with session.get("https://example.com") as response:
                        body = await response.text()
                    session.put("https://example.com", data=body)
                return "ok"
            """,
            [(10, "LW401")],
            id="aiohttp-session",
        ),
        pytest.param(
            """\
            import functions_framework
            from opentelemetry.sdk.trace.export import BatchSpanProcessor


            @functions_framework.http
            def f(request):
                processor = BatchSpanProcessor(request.exporter)
                processor.force_flush(timeout_millis=5000)
                other = BatchSpanProcessor(request.exporter)
                return "ok"
            """,
            [(9, "LW104")],
            id="otel-batch-span-processor",
        ),
        pytest.param(
            """\
            import functions_framework
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor


            @functions_framework.http
            def f(request):
                provider = TracerProvider()
                provider.add_span_processor(BatchSpanProcessor(request.exporter))
                if request.args.get("flush"):
                    provider.shutdown()
                return "ok"
            """,
            [(9, "LW104")],
            id="otel-provider-flushed-on-one-branch",
        ),
        pytest.param(
            """\
            import logging.handlers
            import queue
            import functions_framework


            @functions_framework.http
            def f(request):
                listener = logging.handlers.QueueListener(queue.Queue(), logging.StreamHandler())
                listener.start()
                return "ok"
            """,
            [(8, "LW104")],
            id="queue-listener",
        ),
    ],
)
def test_library_shapes(source: str, expected: list[tuple[int, str]]) -> None:
    assert codes(source) == expected


def test_library_fixes_are_in_the_message() -> None:
    source = """\
        import functions_framework
        from google.cloud.logging.handlers import CloudLoggingHandler


        @functions_framework.http
        def f(request):
            CloudLoggingHandler(request.client)
            return "ok"
        """
    (finding,) = check_sources({"main.py": textwrap.dedent(source)})
    assert finding.code == "LW104"
    assert finding.message.endswith(
        "call handler.flush() before returning, or create it with transport=SyncTransport "
        "(its default transport sends log entries from a background thread)"
    )
