"""`python -m bench` (`make bench`): start the production stack, load 10^5 and then 10^6
DocumentEntries through the bulk path, measure ITI-18 against its floor at each size, ITI-41 at
1 KB, 100 KB and 10 MB, ITI-43 and memory with a 1 GB document; write the results."""

from __future__ import annotations

import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import click

from bench import profile, report
from bench.documents import KB, MB, publish_rate
from bench.iti18 import iti18_load, measure_iti18
from bench.large import large_document
from bench.load import BulkLoader
from bench.stack import BenchStack, bench_stack, machine
from dokdeling.client import XdsClient

ROOT = Path(__file__).resolve().parent.parent
PROFILE_SECONDS = 10


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit("stopped by SIGTERM")


def _say(text: str) -> None:
    click.echo(f"[{datetime.now(UTC):%H:%M:%S}] {text}")
    sys.stdout.flush()


def _stage(bench: BenchStack, loader: BulkLoader, entries: int, seconds: float) -> dict[str, Any]:
    stack = bench.stack
    sources = loader.concurrency
    _say(f"bulk path: loading to {entries:,} DocumentEntries (ITI-42, {sources} sources)")
    registry = stack.registry
    assert registry is not None
    sampling = profile.start(registry.popen.pid, PROFILE_SECONDS)
    stage = loader.load_until(entries)
    bulk_profile = profile.finish(sampling)
    _say(f"  {stage.documents:,} documents in {stage.seconds:,.0f} s: {stage.per_second:,.0f}/s")
    _say(f"ITI-18 against the floor at {entries:,} entries ({seconds:g} s per run)")
    patients = list(loader.patients)
    result = measure_iti18(
        registry_endpoint=f"{stack.registry_url}/xds/registry",
        floor_url=bench.floor_url,
        conninfo=bench.psycopg_conninfo(),
        environ=stack.environ,
        tokens=stack.tokens(),
        patients=patients,
        seconds=seconds,
    )
    for concurrency, ratios in result["ratios"].items():
        run = result["runs"]["iti18"][concurrency]
        _say(
            f"  concurrency {concurrency}: p50 {run['p50_ms']} ms, {run['per_second']}/s, "
            f"{ratios['p50_over_floor']}× the floor"
        )
    endpoint = f"{stack.registry_url}/xds/registry"
    sampling = profile.start(registry.popen.pid, PROFILE_SECONDS)
    iti18_load(endpoint, stack.tokens(), patients, PROFILE_SECONDS + 1)
    iti18_profile = profile.finish(sampling)
    mean_documents = sum(loader.patients.values()) / len(loader.patients)
    return {
        "entries": entries,
        "patients": len(loader.patients),
        "mean_documents_per_patient": round(mean_documents, 1),
        "load": {
            "documents": stage.documents,
            "submissions": stage.submissions,
            "seconds": stage.seconds,
            "per_second": stage.per_second,
        },
        "iti18": result,
        "profiles": {"bulk": bulk_profile, "iti18": iti18_profile},
    }


@click.command()
@click.option("--sizes", default="100000,1000000", show_default=True, help="Entries to load to.")
@click.option("--seconds", default=20.0, show_default=True, help="Length of each latency run.")
@click.option("--large-mb", default=1024, show_default=True, help="The large document's size.")
@click.option("--iti41-count", default=200, show_default=True, help="Documents per ITI-41 size.")
@click.option("--quick", is_flag=True, help="Small sizes for trying the bench out.")
@click.option("--no-docs", is_flag=True, help="Do not rewrite docs/benchmarks.md.")
def main(
    *, sizes: str, seconds: float, large_mb: int, iti41_count: int, quick: bool, no_docs: bool
) -> None:
    """Benchmarks of the production stack against the floor (never part of `make test`)."""
    signal.signal(signal.SIGTERM, _stop)  # the stack's `finally` stops every server
    if quick:
        sizes, seconds, large_mb, iti41_count = "3000,6000", 4.0, 64, 20
    started, begin = datetime.now(UTC), time.perf_counter()
    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "stages": [],
    }
    with bench_stack() as bench:
        stack = bench.stack
        _say(f"stack up: registry {stack.registry_url}, repository {stack.repository_url}")
        results["postgres"] = bench.postgres_version()
        loader = BulkLoader(bench.stack.client(), bench.stack.tokens())
        for entries in (int(n) for n in sizes.split(",")):
            results["stages"].append(_stage(bench, loader, entries, seconds))
        client = XdsClient(
            registry=bench.stack.registry_url, repository=bench.stack.repository_url, connections=16
        )
        tokens = bench.stack.tokens()
        results["iti41"] = {}
        repository = bench.stack.repository
        assert repository is not None
        for label, size, count in (("1 KB", KB, iti41_count), ("100 KB", 100 * KB, iti41_count),
                                   ("10 MB", 10 * MB, max(5, iti41_count // 10))):  # fmt: skip
            _say(f"ITI-41 with {count} documents of {label}")
            sampling = profile.start(repository.popen.pid, PROFILE_SECONDS)
            results["iti41"][label] = publish_rate(client, tokens, size=size, count=count)
            results["iti41"][label]["profile"] = profile.finish(sampling)
            _say(f"  {results['iti41'][label]['documents_per_second']} documents/s")
        _say(f"ITI-41 and ITI-43 with a {large_mb} MB document")
        results["large"] = large_document(bench.stack, tokens, bench.folder, size=large_mb * MB)
        _say(f"  {results['large']}")
    last = results["stages"][-1]["profiles"]
    results["iti18_profile"], results["bulk_profile"] = last["iti18"], last["bulk"]
    results["duration_minutes"] = round((time.perf_counter() - begin) / 60, 1)
    path = report.write_json(results, ROOT / "bench" / "results")
    _say(f"results: {path}")
    if not no_docs:
        chart = ROOT / "docs" / "benchmarks.png"
        drawn = report.write_chart(results, chart)
        document = ROOT / "docs" / "benchmarks.md"
        report.write_markdown(results, document, "benchmarks.png" if drawn else None)
        _say("docs/benchmarks.md updated")
    for name, met, shown in report.targets(results):
        _say(f"{'met    ' if met else 'NOT met'}  {name}: {shown}")


if __name__ == "__main__":
    main()
