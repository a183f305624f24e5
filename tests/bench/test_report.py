"""The report judges each target from the results and writes its section between the markers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import report


def _run(p50: float, per_second: float) -> dict[str, float]:
    return {"p50_ms": p50, "p99_ms": p50 * 3, "per_second": per_second}


def _results(iti18_rate: float) -> dict[str, Any]:
    runs = {
        "iti18": {"1": _run(3.0, 300), "8": _run(5.0, iti18_rate)},
        "sql": {"1": _run(1.0, 900), "8": _run(1.5, 4000)},
        "http": {"1": _run(0.5, 1800), "8": _run(1.0, 6000)},
    }
    return {
        "started": "2026-11-22T05:00:00+00:00",
        "command": "python -m bench",
        "duration_minutes": 1.0,
        "postgres": "15.18",
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "memory_gb": 4.0,
            "disk": "vda",
            "os": "Linux",
            "python": "3.11.7",
        },
        "stages": [
            {
                "entries": 1000,
                "load": {"documents": 1000, "submissions": 90, "seconds": 0.4, "per_second": 2500},
                "iti18": {"runs": runs, "ratios": {c: {"p50_over_floor": 2.0} for c in ("1", "8")}},
            }
        ],
        "iti41": {"100 KB": {"documents_per_second": 310, "concurrency": 16}},
        "large": {
            "document_mb": 1024.0,
            "response_mb": 1024.0,
            "iti41_mb_per_second": 100,
            "iti43_mb_per_second": 700,
            "raw_file_mb_per_second": 1000,
            "raw_s3_mb_per_second": 900,
            "iti43_share_of_raw_file": 0.7,
            "iti43_share_of_raw_s3": 0.78,
            "publish_rss_growth_mb": 12.0,
            "retrieve_rss_growth_mb": 49.9,
        },
    }


def test_targets_at_their_limits_are_met_and_below_them_not() -> None:
    assert all(met for _, met, _ in report.targets(_results(1500)))
    judged = [met for _, met, _ in report.targets(_results(1499))]
    assert judged == [True, False, True, True, True, True]


def test_the_section_between_the_markers_is_replaced(tmp_path: Path) -> None:
    document = tmp_path / "benchmarks.md"
    document.write_text(f"intro\n{report.START}\nold\n{report.END}\noutro\n", encoding="utf-8")

    report.write_markdown(_results(1500), document, "benchmarks.png")

    text = document.read_text(encoding="utf-8")
    assert text.startswith("intro\n")
    assert text.endswith("\noutro\n")
    assert "old" not in text
    assert "| 1,000 | 8 | 5.00 / 15.00 | 1,500 |" in text
    assert "![ITI-18 and its floor](benchmarks.png)" in text
