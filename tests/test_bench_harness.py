"""The benchmark harness's pure parts: wrk output parsing, the generated wrk script, the table of
targets, and the api workload's function. No server, no timing: the benchmark itself is
``python bench/run.py`` (speed targets live there, never in the test suite)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import _bodies  # noqa: E402
import _harness as h  # noqa: E402
import _targets as t  # noqa: E402


def _functions() -> Any:
    spec = importlib.util.spec_from_file_location("bench_functions_t", BENCH / "functions" / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WRK_OUT = """Running 10s test @ http://127.0.0.1:8080/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.40ms    1.10ms  40.00ms   90.00%
  Latency Distribution
     50%    3.12ms
     75%    3.80ms
     90%    4.50ms
     99%    6.16ms
  136220 requests in 10.00s, 19.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  13622.00
Transfer/sec:      1.90MB
"""


def test_parse_wrk_reads_its_report_and_the_done_hook() -> None:
    res = h.parse_wrk(WRK_OUT)
    assert (res.rps, res.p50_ms, res.p99_ms, res.requests) == (13622.0, 3.12, 6.16, 136220)
    assert (res.errors, res.non2xx, res.ok) == (3, 4, False)
    assert res.p999_ms != res.p999_ms  # no hook line: NaN, not a made-up number

    hooked = h.parse_wrk(WRK_OUT + "LATENCY_US p50=3050 p90=4400 p99=6210 p999=9800 max=40000\n")
    assert (hooked.p50_ms, hooked.p99_ms, hooked.p999_ms, hooked.max_ms) == (3.05, 6.21, 9.8, 40.0)


def test_parse_wrk_units_and_garbage() -> None:
    assert h.parse_wrk(WRK_OUT.replace("6.16ms", "1.02s")).p99_ms == pytest.approx(1020.0)
    assert h.parse_wrk(WRK_OUT.replace("3.12ms", "812.00us")).p50_ms == pytest.approx(0.812)
    with pytest.raises(ValueError, match="could not parse"):
        h.parse_wrk("wrk: connection refused")


def test_lua_script_is_static_and_embeds_the_body_exactly() -> None:
    body = b'{"a": "x]]y]=]z"}'
    text = h.lua_script("POST", body, "application/json")
    # no request()/response() function: wrk then sends one prebuilt buffer (no Lua per request)
    assert "request =" not in text and "response =" not in text
    assert "function(summary, latency, requests)" in text
    assert 'wrk.method = "POST"' in text
    assert 'wrk.headers["Content-Type"] = "application/json"' in text
    # a long bracket that the body does not contain, so the bytes go through unchanged
    assert f"wrk.body = [==[{body.decode()}]==]" in text
    assert "wrk.body" not in h.lua_script("GET")


def _series(values: list[float], paired: bool = True) -> t.Series:
    return t.Series(dict(enumerate(values)), paired=paired, source="run.py")


def test_paired_ratio_is_the_median_of_per_round_ratios() -> None:
    # round 2 ran while the machine was slow for both: pairing cancels it
    num, den = _series([300.0, 330.0, 90.0]), _series([100.0, 100.0, 30.0])
    assert t.ratio(num, den) == pytest.approx(3.0)
    assert t.ratio(_series([300.0, 330.0, 90.0], False), den) == pytest.approx(3.0)  # 300/100
    unpaired = t.ratio(_series([4.0, 5.0, 6.0], False), _series([1.0, 2.0], False))
    assert unpaired == pytest.approx(5.0 / 1.5)


def test_evaluate_pass_fail_information_and_not_measured() -> None:
    targets = [
        t.Target("fast", "rps/a/w", "rps/b/w", ">=", 3.0),
        t.Target("small", "rss/a/w", "rss/b/w", "<=", 0.75),
        t.Target("info", "rps/a/w", "rps/b/w"),
        t.Target("freeze", "freeze/a", None, "<=", 1.0, unit="ms", pending="issue 10"),
        t.Target("abs", "lat/a", None, "<=", 1.0, unit="ms"),
    ]
    metrics = {
        "rps/a/w": _series([290.0]),
        "rps/b/w": _series([100.0]),
        "rss/a/w": _series([30.0], False),
        "rss/b/w": _series([60.0], False),
        "lat/a": _series([0.4, 0.6, 2.0], False),
    }
    rows = t.evaluate(targets, metrics)
    assert [r.verdict for r in rows] == ["FAIL", "PASS", "", "not measured", "PASS"]
    assert rows[0].shown_value == "2.90×" and rows[0].shown_target == "≥ 3×"
    assert rows[4].shown_value == "0.60 ms" and rows[4].shown_target == "≤ 1 ms"
    table = "\n".join(t.render(rows))
    assert "| fast | 2.90× | ≥ 3× | FAIL |" in table
    assert "not measured: issue 10" in table
    assert "| info | 2.90× | – | info |" in table


def test_every_target_names_existing_series_kinds() -> None:
    kinds = {"rps", "rpc", "rss", "p50", "p99", "p999", "cold", "cpu_start", "rss_start",
             "freeze_thaw_p50",
             "respawn"}
    for target in t.TARGETS:
        for key in filter(None, (target.num, target.den)):
            assert key.split("/")[0] in kinds, (target.label, key)
        assert (target.op is None) == (target.goal is None), target.label
        assert target.op in (None, ">=", "<="), target.label
    labels = [x.label for x in t.TARGETS]
    assert len(labels) == len(set(labels))


def test_api_workload_prices_the_order_and_rejects_bad_ones() -> None:
    fn = _functions()
    body = _bodies.order_body()
    assert 1024 <= len(body) <= 2048
    result = fn.price_order(json.loads(body))
    assert result["status"] == "accepted" and result["items"] == 8
    assert result["subtotal"] == pytest.approx(sum(line["total"] for line in result["lines"]))
    expected = result["subtotal"] - result["discount"] + result["tax"] + result["shipping"]
    assert result["total"] == pytest.approx(expected, abs=0.011)

    bad = json.loads(body)
    bad["items"][3]["quantity"] = 0
    assert fn.price_order(bad) == ({"error": "items[3].quantity, unit_price or tax_rate is out of range"}, 400)
    message, status = fn.price_order(None)
    assert status == 400 and "JSON object" in message["error"]
    bad = json.loads(body)
    bad["customer"]["email"] = True
    assert "customer.email" in fn.price_order(bad)[0]["error"]


def test_the_10k_body_is_the_documented_json() -> None:
    body = _bodies.body_10k()
    assert 10 * 1024 - 100 <= len(body) <= 10 * 1024 + 100
    doc = json.loads(body)
    assert len(doc["items"]) == 118 and doc["items"][7]["name"] == "item-00007"


def test_cloudevent_workload_sends_a_binary_mode_event_of_1_kib() -> None:
    body = _bodies.event_body()
    assert len(body) == 1024
    assert len(json.loads(body)["items"]) == 8
    names = {name for name, _ in _bodies.EVENT_HEADERS}
    assert {"ce-specversion", "ce-id", "ce-source", "ce-type"} <= names
    text = h.lua_script("POST", body, "application/json", _bodies.EVENT_HEADERS)
    for name, value in _bodies.EVENT_HEADERS:
        assert f'wrk.headers["{name}"] = "{value}"' in text
    fn = _functions()
    from cloudevents.http import CloudEvent

    event = CloudEvent({"type": "t", "source": "s"}, json.loads(body))
    assert fn.cloudevent_sync(event) is None
    with pytest.raises(ValueError, match="unexpected event data"):
        fn.cloudevent_sync(CloudEvent({"type": "t", "source": "s"}, {"items": []}))


def test_parity_results_become_the_series_the_targets_read() -> None:
    import run

    series = run.parity_series(
        {"thaw": {"added_p50_ms": 0.4}, "replacement_ms": [120.0, 140.0, 130.0],
         "workers": {"one_rps": 4000.0, "two_rps": 7000.0, "ratio": 1.75}}
    )
    rows = {row.target.label: row for row in t.evaluate(t.TARGETS, series)}
    assert rows["freeze/thaw cost added to the waking request, p50"].verdict == "PASS"
    assert rows["worker SIGKILL -> replacement serving, median"].value == pytest.approx(130.0)
    assert rows["hello req/s, server on both cores: 2 workers / 1 worker"].value == pytest.approx(1.75)
