"""`GET /metrics`: Prometheus text format (prometheus-client).

Per request: `dokdeling_http_requests_total` and `dokdeling_http_request_duration_seconds` by
route and method (and status); per served SOAP action: `dokdeling_soap_requests_total` by outcome
and `dokdeling_soap_request_duration_seconds`; `dokdeling_soap_answers_cut_off_total` by action and
reason counts answers cut off after they started (e.g. a document failing its integrity check
while streamed). Plus process metrics.

Under gunicorn every worker is a process of its own: `servicekit.server` sets
`PROMETHEUS_MULTIPROC_DIR` (a fresh folder) before any worker imports prometheus-client, so each
worker writes its samples there and `/metrics` merges them with `MultiProcessCollector`;
process metrics are then read from /proc for every live worker, labelled `pid`. Without that
variable (tests, a single process) one in-memory registry per app serves everything.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.soap import SoapFault
from servicekit.config import MULTIPROCESS_VARIABLE

EXTENSION = "servicekit.metrics"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
_PID_IN_FILE = re.compile(r"_(\d+)\.db$")


class ServiceMetrics:
    """The metrics of one service app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter(
            "dokdeling_http_requests",
            "HTTP requests answered, by route, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.http_duration = Histogram(
            "dokdeling_http_request_duration_seconds",
            "Time to produce an HTTP response, by route and method",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.soap_requests = Counter(
            "dokdeling_soap_requests",
            "SOAP requests handled, by wsa:Action and outcome (success, fault, error)",
            ["action", "outcome"],
            registry=self.registry,
        )
        self.soap_duration = Histogram(
            "dokdeling_soap_request_duration_seconds",
            "Time a SOAP transaction handler took, by wsa:Action",
            ["action"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.soap_cut_off = Counter(
            "dokdeling_soap_answers_cut_off",
            "SOAP answers cut off after they started (the connection closed before their end), "
            "by wsa:Action and reason",
            ["action", "reason"],
            registry=self.registry,
        )
        if multiprocess_dir() is None:
            ProcessCollector(registry=self.registry)

    def instrument(self, action: str, handler: Handler) -> Handler:
        """`handler`, counted and timed under its action (only served actions become labels)."""

        def instrumented(soap_request: SoapRequest) -> SoapResponse:
            started = time.perf_counter()
            outcome = "error"
            try:
                response = handler(soap_request)
                outcome = "success"
                return response
            except SoapFault:
                outcome = "fault"
                raise
            finally:
                self.soap_requests.labels(action, outcome).inc()
                self.soap_duration.labels(action).observe(time.perf_counter() - started)

        return instrumented

    def exposition(self) -> bytes:
        directory = multiprocess_dir()
        if directory is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path=str(directory))  # type: ignore[no-untyped-call]
        merged.register(WorkerProcessCollector(directory))
        return generate_latest(merged)


def multiprocess_dir() -> Path | None:
    value = os.environ.get(MULTIPROCESS_VARIABLE)
    return Path(value) if value else None


class WorkerProcessCollector(Collector):
    """Process metrics (CPU, memory, file descriptors) of every live process writing metrics."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def _live_pids(self) -> list[int]:
        pids = {
            int(match.group(1))
            for path in self._directory.glob("*.db")
            if (match := _PID_IN_FILE.search(path.name))
        }
        return sorted(pid for pid in pids if Path(f"/proc/{pid}").exists())

    def collect(self) -> Iterator[Metric]:
        families: dict[str, Metric] = {}
        for pid in self._live_pids():
            for family in ProcessCollector(pid=_constant(pid), registry=None).collect():
                merged = families.setdefault(
                    family.name, Metric(family.name, family.documentation, family.type, family.unit)
                )
                merged.samples.extend(_with_pid(sample, pid) for sample in family.samples)
        yield from families.values()


def _constant(pid: int) -> Callable[[], int]:
    return lambda: pid


def _with_pid(sample: Sample, pid: int) -> Sample:
    return sample._replace(labels={**sample.labels, "pid": str(pid)})


def _route() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def init_metrics(app: Flask) -> ServiceMetrics:
    """Count and time every request of `app` and serve `GET /metrics`."""
    metrics = ServiceMetrics()
    app.extensions[EXTENSION] = metrics

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        started = g.pop("request_started", None)
        route, method = _route(), request.method
        metrics.http_requests.labels(route, method, str(response.status_code)).inc()
        if started is not None:
            metrics.http_duration.labels(route, method).observe(time.perf_counter() - started)
        return response

    def serve_metrics() -> Response:
        return Response(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", "metrics", serve_metrics, methods=["GET"])
    return metrics


def metrics_of(app: Flask) -> ServiceMetrics:
    metrics: ServiceMetrics = app.extensions[EXTENSION]
    return metrics
