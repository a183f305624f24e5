"""The results: JSON under bench/results/, a PNG chart and the results section of
docs/benchmarks.md (between its markers), with each target marked as met or not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def _largest(results: dict[str, Any]) -> dict[str, Any]:
    stage: dict[str, Any] = results["stages"][-1]
    return stage


def _bulk(results: dict[str, Any]) -> float:
    stages = results["stages"]
    documents = sum(s["load"]["documents"] for s in stages)
    seconds = sum(s["load"]["seconds"] for s in stages)
    return documents / seconds if seconds else 0.0


def targets(results: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(target, met, what was measured) for each target of the issue."""
    stage = _largest(results)
    ratio = stage["iti18"]["ratios"]["1"]["p50_over_floor"]
    rate = stage["iti18"]["runs"]["iti18"]["8"]["per_second"]
    publish = results["iti41"]["100 KB"]["documents_per_second"]
    bulk = _bulk(results)
    large = results["large"]
    share = large["iti43_share_of_raw_file"]
    growth = max(large["publish_rss_growth_mb"], large["retrieve_rss_growth_mb"])
    entries = f"{stage['entries']:,} entries"
    return [
        (f"ITI-18 p50 ≤ 2× the floor (SQL + empty request), {entries}", ratio <= 2.0, f"{ratio}×"),
        (f"ITI-18 ≥ 1,500 queries/s on 2 cores, {entries}", rate >= 1500, f"{rate:,.0f}/s"),
        ("ITI-41 ≥ 300 documents/s at 100 KB", publish >= 300, f"{publish}/s"),
        ("bulk path ≥ 2,000 documents/s", bulk >= 2000, f"{bulk:,.0f}/s"),
        ("ITI-43 ≥ 70 % of raw read (local file)", share >= 0.7, f"{100 * share:.0f} %"),
        (
            f"RSS growth < 50 MB, {large['document_mb']:,.0f} MB document",
            growth < 50,
            f"{growth} MB",
        ),
    ]


def write_json(results: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{results['started'][:10]}-{results['stages'][-1]['entries']}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def markdown(results: dict[str, Any], chart: str | None) -> str:
    minutes = results["duration_minutes"]
    lines = [f"Run of {results['started']} (`{results['command']}`), {minutes} minutes.", ""]
    machine = results["machine"]
    lines += [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB RAM, "
        f"{machine['disk']}; {machine['os']}, Python {machine['python']}, "
        f"PostgreSQL {results['postgres']}.",
        "",
        "| target | result | met |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {shown} | {'yes' if met else '**no**'} |"
        for name, met, shown in targets(results)
    ]
    lines += ["", "### ITI-18 FindDocuments against the floor", ""]
    lines += [
        "| entries | concurrency | ITI-18 p50 / p99 ms | ITI-18 queries/s | SQL p50 ms "
        "| SQL queries/s | empty request p50 ms | empty requests/s | p50 ÷ floor |",
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
            f"| bulk (ITI-42, {load['submissions']:,} submissions, to {stage['entries']:,} "
            f"entries) | {load['per_second']:,.0f} |"
        )
    for label, run in results["iti41"].items():
        lines.append(
            f"| ITI-41 {label} (wait mode, concurrency {run['concurrency']}) "
            f"| {run['documents_per_second']} |"
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
        f"| services' RSS growth, publishing / retrieving | {large['publish_rss_growth_mb']} / "
        f"{large['retrieve_rss_growth_mb']} MB |",
    ]
    profiles = (
        ("the registry under ITI-18 (concurrency 8)", results.get("iti18_profile")),
        ("the registry under the bulk load (ITI-42)", results.get("bulk_profile")),
        ("the repository under ITI-41, 100 KB", results["iti41"]["100 KB"].get("profile")),
        ("the repository under ITI-43 of the large document", large.get("iti43_profile")),
    )
    for title, profile in profiles:
        if profile:
            lines += ["", f"### Profile of {title} (py-spy)", "", "```"]
            lines += [*_below_trunk(profile), "```"]
    if chart:
        lines += ["", f"![ITI-18 and its floor]({chart})"]
    return "\n".join(lines)


def _below_trunk(profile: list[str], limit: int = 14) -> list[str]:
    """The profile without the frames every request passes (gunicorn, Flask, the SOAP endpoint:
    96 % or more of the samples), which say nothing about where the time goes."""
    shares = ((line, line.split("%", 1)[0].strip()) for line in profile)
    kept = [line for line, share in shares if not _is_number(share) or float(share) < 96.0]
    return kept[:limit]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_markdown(results: dict[str, Any], document: Path, chart: str | None) -> None:
    text = document.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    section = f"{START}\n{markdown(results, chart)}\n{END}"
    document.write_text(f"{head}{section}{tail}", encoding="utf-8")


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
