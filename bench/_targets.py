"""Every target of the benchmark, as data, and the one table that checks them.

A measurement is a *series* stored under a key (``rps/lastword/hello_sync``,
``cold/1cpu/lastword-sync``...): its samples by round (or by cold-start run). A target
compares two series (a ratio) or states one value (an absolute figure, e.g. milliseconds)
against a goal. Adding a target is adding a line to ``TARGETS``; a target whose series
nobody has measured yet shows as "not measured" with who adds it, so the table keeps
the place of work still to do.

Pure (stdlib only, no processes): tests/test_bench_harness.py checks it.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterable, Mapping, Sequence


@dataclasses.dataclass
class Series:
    """Samples of one quantity, keyed by round (paired runs) or run number."""

    values: dict[int, float] = dataclasses.field(default_factory=dict)
    paired: bool = False
    """Rounds of two paired series ran side by side: their ratio is the median of the
    per-round ratios, which cancels the machine's drift between rounds."""
    source: str = ""
    """Short name of the command that measured it (see ``Report.commands``)."""

    def add(self, key: int, value: float) -> None:
        self.values[key] = value

    @property
    def median(self) -> float:
        return statistics.median(self.values.values()) if self.values else float("nan")


Metrics = Mapping[str, Series]


@dataclasses.dataclass(frozen=True)
class Target:
    label: str
    num: str
    """Key of the measured series."""
    den: str | None = None
    """Key of the series it is divided by; None for an absolute value."""
    op: str | None = None
    """">=" or "<="; None: shown for information, no target."""
    goal: float | None = None
    unit: str = "×"
    origin: str = ""
    """Where the target is stated (an issue and its point)."""
    pending: str = ""
    """Why it may not be measured yet: the work that will add its series."""


def _thru(w: str, a: str, b: str, label_b: str, op: str | None = None, goal: float | None = None,
          origin: str = "") -> Target:
    return Target(f"{w} req/s: {a} / {label_b}", f"rps/{a}/{w}", f"rps/{b}/{w}", op, goal,
                  origin=origin)


def _eff(w: str, a: str, b: str, label_b: str) -> Target:
    """Requests per server CPU-second: the same comparison, blind to how much of its core the
    machine's other tenants left each server (information next to a req/s target)."""
    return Target(f"{w} req per server CPU-second: {a} / {label_b}", f"rpc/{a}/{w}",
                  f"rpc/{b}/{w}")


def _cold_targets(mode: str, text: str) -> list[Target]:
    c = f"cold/{mode}"
    m = f"rss_start/{mode}"
    return [
        Target(f"cold start{text}, sync hello: lastword / ff default", f"{c}/lastword-sync",
               f"{c}/ff-sync", "<=", 0.75, origin="8.1"),
        Target(f"cold start{text}, async hello: lastword / ff --asgi", f"{c}/lastword-async",
               f"{c}/ff-asgi", "<=", 0.5, origin="8.1"),
        Target(f"cold start{text}, sync hello: lastword / sync floor", f"{c}/lastword-sync",
               f"{c}/floor-sync", "<=", 1.25, origin="8.1"),
        Target(f"cold start{text}, async hello: lastword / async floor", f"{c}/lastword-async",
               f"{c}/floor-async", "<=", 1.25, origin="8.1"),
        Target(f"CPU to the first 200{text}, sync hello: lastword / ff default",
               f"cpu_start/{mode}/lastword-sync", f"cpu_start/{mode}/ff-sync"),
        Target(f"CPU to the first 200{text}, async hello: lastword / ff --asgi",
               f"cpu_start/{mode}/lastword-async", f"cpu_start/{mode}/ff-asgi"),
        Target(f"CPU to the first 200{text}, sync hello: lastword / sync floor",
               f"cpu_start/{mode}/lastword-sync", f"cpu_start/{mode}/floor-sync"),
        Target(f"CPU to the first 200{text}, async hello: lastword / async floor",
               f"cpu_start/{mode}/lastword-async", f"cpu_start/{mode}/floor-async"),
        Target(f"RSS after start{text}, sync hello: lastword / ff default", f"{m}/lastword-sync",
               f"{m}/ff-sync", "<=", 0.75, origin="8.2"),
        Target(f"RSS after start{text}, async hello: lastword / ff --asgi",
               f"{m}/lastword-async", f"{m}/ff-asgi", "<=", 0.75, origin="8.2"),
    ]


TARGETS: list[Target] = [
    # issue 2's throughput and memory targets, also required by issues 8, 10 and 11
    _thru("hello_sync", "lastword", "ff", "ff default", ">=", 3.0, "2"),
    _thru("hello_async", "lastword", "ff-asgi", "ff --asgi", ">=", 2.0, "2"),
    _thru("hello_async", "lastword", "bare", "bare", ">=", 0.75, "2"),
    Target("RSS after hello_sync load: lastword / ff default", "rss/lastword/hello_sync",
           "rss/ff/hello_sync", "<=", 0.75, origin="2"),
    _thru("hello_sync", "lastword", "lastword-notrack", "tracking off", ">=", 0.95, "3"),
    _thru("hello_async", "lastword", "lastword-notrack", "tracking off", ">=", 0.95, "3"),
    # cold start and memory after start (issue 8.1-8.3): two CPUs, and pinned to one core
    *_cold_targets("2cpu", ""),
    *_cold_targets("1cpu", " on 1 core"),
    # work of other issues: the rows are here; their series come with that work
    # issue 11: CloudEvents in binary content mode
    Target("CloudEvent binary mode req/s, sync: lastword / ff default",
           "rps/lastword/cloudevent_sync", "rps/ff/cloudevent_sync", ">=", 3.0, origin="11"),
    Target("CloudEvent binary mode req/s, async: lastword / ff --asgi",
           "rps/lastword/cloudevent_async", "rps/ff-asgi/cloudevent_async", ">=", 3.0,
           origin="11"),
    _eff("cloudevent_sync", "lastword", "ff", "ff default"),
    _eff("cloudevent_async", "lastword", "ff-asgi", "ff --asgi"),
    # issue 10: what production parity costs (bench/freeze_bench.py's measure(), run by run.py)
    Target("freeze/thaw cost added to the waking request, p50", "freeze_thaw_p50/lastword",
           None, "<=", 1.0, unit="ms", origin="10.3"),
    Target("worker SIGKILL -> replacement serving, median", "respawn/lastword", None, "<=",
           1000.0, unit="ms", origin="10.1"),
    Target("hello req/s, server on both cores: 2 workers / 1 worker",
           "rps/lastword-2w/hello_both_cores", "rps/lastword-1w/hello_both_cores", origin="10"),
    # for information: the same per CPU-second, how far from the ceiling, the other workloads
    _eff("hello_sync", "lastword", "ff", "ff default"),
    _eff("hello_async", "lastword", "ff-asgi", "ff --asgi"),
    _eff("hello_async", "lastword", "bare", "bare"),
    _eff("hello_sync", "lastword", "lastword-notrack", "tracking off"),
    _eff("hello_async", "lastword", "lastword-notrack", "tracking off"),
    _thru("hello_sync", "lastword", "bare", "bare"),
    _eff("hello_sync", "lastword", "bare", "bare"),
    _thru("echo_sync", "lastword", "ff", "ff default"),
    _thru("echo_async", "lastword", "ff-asgi", "ff --asgi"),
    _thru("echo_async", "lastword", "bare", "bare"),
    _thru("api_sync", "lastword", "ff", "ff default"),
    _thru("api_async", "lastword", "ff-asgi", "ff --asgi"),
    _thru("api_async", "lastword", "bare", "bare"),
    _eff("api_sync", "lastword", "ff", "ff default"),
    _eff("api_async", "lastword", "ff-asgi", "ff --asgi"),
    _eff("api_async", "lastword", "bare", "bare"),
    Target("api_sync p99 at 50 connections: lastword / ff default", "p99/lastword/api_sync",
           "p99/ff/api_sync"),
    Target("api_async p99 at 50 connections: lastword / ff --asgi", "p99/lastword/api_async",
           "p99/ff-asgi/api_async"),
    Target("api_sync_c1 p50 (one connection): lastword / ff default",
           "p50/lastword/api_sync_c1", "p50/ff/api_sync_c1"),
    Target("api_async_c1 p50 (one connection): lastword / ff --asgi",
           "p50/lastword/api_async_c1", "p50/ff-asgi/api_async_c1"),
    Target("api_async_c1 p50 (one connection): lastword / bare", "p50/lastword/api_async_c1",
           "p50/bare/api_async_c1"),
]


@dataclasses.dataclass(frozen=True)
class Row:
    target: Target
    value: float
    verdict: str  # PASS, FAIL, "" (information), "not measured"
    sources: tuple[str, ...]

    @property
    def shown_value(self) -> str:
        if self.value != self.value:
            return "–"
        if self.target.unit == "×":
            return f"{self.value:.2f}×"
        return f"{self.value:.2f} {self.target.unit}"

    @property
    def shown_target(self) -> str:
        t = self.target
        if t.op is None or t.goal is None:
            return "–"
        return f"{'≥' if t.op == '>=' else '≤'} {t.goal:g}{'×' if t.unit == '×' else ' ' + t.unit}"


def ratio(num: Series, den: Series) -> float:
    """Median of per-round ratios for paired series, else the ratio of the medians."""
    common = sorted(set(num.values) & set(den.values))
    if num.paired and den.paired and common:
        return statistics.median(num.values[k] / den.values[k] for k in common)
    if not num.values or not den.values or den.median == 0:
        return float("nan")
    return num.median / den.median


def evaluate(targets: Iterable[Target], metrics: Metrics) -> list[Row]:
    rows = []
    for t in targets:
        num = metrics.get(t.num)
        den = metrics.get(t.den) if t.den is not None else None
        if num is None or not num.values or (t.den is not None and (den is None or not den.values)):
            rows.append(Row(t, float("nan"), "not measured", ()))
            continue
        value = ratio(num, den) if den is not None else num.median
        sources = tuple(dict.fromkeys(s.source for s in (num, den) if s is not None and s.source))
        if value != value or t.op is None or t.goal is None:
            verdict = "" if value == value else "not measured"
        else:
            ok = value >= t.goal if t.op == ">=" else value <= t.goal
            verdict = "PASS" if ok else "FAIL"
        rows.append(Row(t, value, verdict, sources))
    return rows


def render(rows: Sequence[Row], *, include_pending: bool = True) -> list[str]:
    """The markdown table: | what | value | target | verdict | issue | measured by |."""
    lines = [
        "| ratio or figure | value | target | verdict | issue | measured by |",
        "|---|---:|---|---|---|---|",
    ]
    for r in rows:
        if r.verdict == "not measured" and not include_pending:
            continue
        verdict = r.verdict or "info"
        if r.verdict == "not measured" and r.target.pending:
            verdict = f"not measured: {r.target.pending}"
        lines.append(
            f"| {r.target.label} | {r.shown_value} | {r.shown_target} | {verdict} | "
            f"{r.target.origin or '–'} | {', '.join(r.sources) or '–'} |"
        )
    return lines
