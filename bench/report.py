"""The results: JSON under bench/results/, a PNG chart and the results section of
docs/benchmarks.md (between its markers), with each target marked as met or not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"

TARGETS = (
    ("ITI-18 p50 ≤ 2× the floor (SQL + empty request) at 10^6 entries, concurrency 1",
     lambda r: _iti18(r, "1")["p50_over_floor"] <= 2.0, lambda r: f"{_iti18(r, '1')['p50_over_floor']}×"),
    ("ITI-18 ≥ 1,500 queries/s at 10^6 entries (2 cores, concurrency 8)",
     lambda r: _run(r, "iti18", "8")["per_second"] >= 1500, lambda r: f"{_run(r, 'iti18', '8')['per_second']:,.0f}/s"),
    ("ITI-41 ≥ 300 documents/s at 100 KB",
     lambda r: r["iti41"]["100 KB"]["documents_per_second"] >= 300,
     lambda r: f"{r['iti41']['100 KB']['documents_per_second']}/s"),
    ("bulk path ≥ 2,000 documents/s",
     lambda r: _bulk(r) >= 2000, lambda r: f"{_bulk(r):,.0f}/s"),
    ("ITI-43 ≥ 70 % of raw read throughput (local file)",
     lambda r: r["large"]["iti43_share_of_raw_file"] >= 0.7,
     lambda r: f"{100 * r['large']['iti43_share_of_raw_file']:.0f} %"),
    ("RSS growth < 50 MB while publishing and retrieving the 1 GB document",
     lambda r: max(r["large"]["publish_rss_growth_mb"], r["large"]["retrieve_rss_growth_mb"]) < 50,
     lambda r: f"{max(r['large']['publish_rss_growth_mb'], r['large']['retrieve_rss_growth_mb'])} MB"),
)  # fmt: skip


def _largest(results: dict[str, Any]) -> dict[str, Any]:
    stages: dict[str, Any] = results["stages"][-1]
    return stages


def _run(results: dict[str, Any], name: str, concurrency: str) -> dict[str, Any]:
    run: dict[str, Any] = _largest(results)["iti18"]["runs"][name][concurrency]
    return run


def _iti18(results: dict[str, Any], concurrency: str) -> dict[str, float]:
    ratios: dict[str, float] = _largest(results)["iti18"]["ratios"][concurrency]
    return ratios


def _bulk(results: dict[str, Any]) -> float:
    stages = results["stages"]
    documents = sum(s["load"]["documents"] for s in stages)
    seconds = sum(s["load"]["seconds"] for s in stages)
    return documents / seconds if seconds else 0.0


def targets(results: dict[str, Any]) -> list[tuple[str, bool, str]]:
    return [(name, bool(check(results)), shown(results)) for name, check, shown in TARGETS]


def write_json(results: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{results['started'][:10]}-{results['stages'][-1]['entries']}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def markdown(results: dict[str, Any], chart: str | None) -> str:
    lines = [f"Run of {results['started']} (`{results['command']}`), {results['duration_minutes']} minutes.", ""]
    machine = results["machine"]
    lines += [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB RAM, "
        f"{machine['disk']}; {machine['os']}, Python {machine['python']}, "
        f"PostgreSQL {results['postgres']}.",
        "",
        "| target | result | met |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {shown} | {'yes' if met else '**no**'} |" for name, met, shown in targets(results)]
    lines += ["", "### ITI-18 FindDocuments against the floor", ""]
    lines += [
        "| entries | concurrency | ITI-18 p50 / p99 ms | ITI-18 queries/s | SQL p50 ms | SQL queries/s "
        "| empty request p50 ms | empty requests/s | p50 ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for stage in results["stages"]:
        runs, ratios = stage["iti18"]["runs"], stage["iti18"]["ratios"]
        for c in runs["iti18"]:
            i, s, h = runs["iti18"][c], runs["sql"][c], runs["http"][c]
            lines.append(
                f"| {stage['entries']:,} | {c} | {i['p50_ms']:.2f} / {i['p99_ms']:.2f} | "
                f"{i['per_second']:,.0f} | {s['p50_ms']:.2f} | {s['per_second']:,.0f} | "
                f"{h['p50_ms']:.2f} | {h['per_second']:,.0f} | {ratios[c]['p50_over_floor']} |"
            )
    lines += ["", "### Publishing and the bulk path", "", "| path | documents/s |", "|---|---|"]
    for stage in results["stages"]:
        load = stage["load"]
        lines.append(
            f"| bulk (ITI-42, {load['submissions']:,} submissions, to {stage['entries']:,} entries) "
            f"| {load['per_second']:,.0f} |"
        )
    for label, run in results["iti41"].items():
        lines.append(
            f"| ITI-41 {label} (wait mode, concurrency {run['concurrency']}) | {run['documents_per_second']} |"
        )
    large = results["large"]
    lines += [
        "",
        "### Large documents",
        "",
        "| measure | value |",
        "|---|---|",
        f"| document | {large['document_mb']} MB |",
        f"| ITI-41 upload (streamed MTOM) | {large['iti41_mb_per_second']} MB/s |",
        f"| ITI-43 retrieve | {large['iti43_mb_per_second']} MB/s |",
        f"| raw read, local file (page cache dropped) | {large['raw_file_mb_per_second']} MB/s |",
        f"| raw read, the S3 object (minio GET) | {large['raw_s3_mb_per_second']} MB/s |",
        f"| services' RSS growth, publishing / retrieving | {large['publish_rss_growth_mb']} / {large['retrieve_rss_growth_mb']} MB |",
    ]
    for title, key in (("ITI-18", "iti18_profile"), ("bulk ITI-42", "bulk_profile")):
        profile = results.get(key)
        if profile:
            lines += ["", f"### Profile of the registry under {title} load (py-spy)", "", "```"]
            lines += profile
            lines += ["```"]
    if chart:
        lines += ["", f"![ITI-18 and its floor]({chart})"]
    return "\n".join(lines)


def write_markdown(results: dict[str, Any], document: Path, chart: str | None) -> None:
    text = document.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    document.write_text(f"{head}{START}\n{markdown(results, chart)}\n{END}{tail}", encoding="utf-8")


def write_chart(results: dict[str, Any], path: Path) -> bool:
    """ITI-18 p50 and throughput beside both floors; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    stage = results["stages"][-1]
    runs = stage["iti18"]["runs"]
    names = {"iti18": "ITI-18", "sql": "SQL floor", "http": "empty request"}
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(10, 4))
    width = 0.25
    concurrencies = list(runs["iti18"])
    for offset, (key, label) in enumerate(names.items()):
        xs = [n + offset * width for n in range(len(concurrencies))]
        latency.bar(xs, [runs[key][c]["p50_ms"] for c in concurrencies], width, label=label)
        throughput.bar(xs, [runs[key][c]["per_second"] for c in concurrencies], width, label=label)
    for axis, title in ((latency, "p50 latency (ms)"), (throughput, "requests per second")):
        axis.set_xticks([n + width for n in range(len(concurrencies))])
        axis.set_xticklabels([f"concurrency {c}" for c in concurrencies])
        axis.set_title(f"{title}, {stage['entries']:,} entries")
        axis.legend()
    throughput.set_yscale("log")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True
