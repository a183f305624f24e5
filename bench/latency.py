"""Latency and throughput at a given concurrency: `concurrency` threads, each with its own
connection, send requests back to back for `seconds` after a warm-up; p50/p99 of the latencies
and completed requests per second of wall time."""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

Call = Callable[[int], None]
"""Do request number n (raises on a wrong answer)."""


@dataclass(frozen=True, slots=True)
class Measurement:
    concurrency: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    per_second: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _percentile(ordered: Sequence[float], share: float) -> float:
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(
    make_caller: Callable[[int], Call],
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 2.0,
) -> Measurement:
    """`make_caller(thread_index)` gives each thread its own caller (its own connection)."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    connected = threading.Barrier(concurrency + 1)
    warmed = threading.Barrier(concurrency + 1)
    go = threading.Event()
    timing = {"start": 0.0, "end": 0.0}

    def run(index: int) -> None:
        call = make_caller(index)
        n = index
        connected.wait()
        warm_until = time.perf_counter() + warmup
        while time.perf_counter() < warm_until:
            with contextlib.suppress(Exception):  # counted in the measured run, if it lasts
                call(n)
            n += concurrency
        warmed.wait()
        go.wait()
        own, end = latencies[index], timing["end"]
        while (begin := time.perf_counter()) < end:
            try:
                call(n)
            except Exception:
                errors[index] += 1
            own.append(time.perf_counter() - begin)
            n += concurrency

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    connected.wait()
    warmed.wait()
    timing["start"] = time.perf_counter()
    timing["end"] = timing["start"] + seconds
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - timing["start"]
    ordered = sorted(x * 1000 for own in latencies for x in own)
    return Measurement(
        concurrency=concurrency,
        requests=len(ordered),
        errors=sum(errors),
        seconds=round(elapsed, 2),
        p50_ms=round(_percentile(ordered, 0.50), 3),
        p99_ms=round(_percentile(ordered, 0.99), 3),
        mean_ms=round(statistics.fmean(ordered), 3) if ordered else float("nan"),
        per_second=round(len(ordered) / elapsed, 1),
    )
