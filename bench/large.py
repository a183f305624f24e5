"""Large documents: ITI-43 throughput against raw reads, and the services' memory while a 1 GB
document is published and retrieved."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import profile
from bench.documents import (
    MB,
    RssWatch,
    provide_streamed,
    raw_file_read,
    raw_s3_read,
    retrieve_streamed,
    write_file,
)
from dokdeling.synthetic import GeneratorSettings, SyntheticData
from dokdeling.synthetic.catalogue import RADIOLOGISVAR
from dokdeling.synthetic.pdf import pdf_parts
from dokdeling.tokens import ToolTokens
from repository.settings import RepositorySettings
from schemas.model import DocumentRequest
from tests.support.production_stack import ProductionStack

SUCCESS = b"ResponseStatusType:Success"
PROFILE_SECONDS = 8


def _service_pids(stack: ProductionStack) -> list[int]:
    processes = [stack.repository, *stack.workers]
    return [p.popen.pid for p in processes if p is not None]


def large_document(
    stack: ProductionStack, tokens: ToolTokens, folder: Path, *, size: int, retrievals: int = 3
) -> dict[str, Any]:
    """Publish one document of `size` bytes, retrieve it `retrievals` times; raw reads of the
    same bytes from a local file and from S3; peak memory growth of the services."""
    data = SyntheticData(GeneratorSettings(seed=size % 1000, now=datetime.now(UTC)))
    patient = data.patient()
    (submission,) = data.submissions([data.document(patient, RADIOLOGISVAR, nors=False)])
    document = submission.documents[0]
    endpoint = f"{stack.repository_url}/xds/repository"
    publisher = tokens.publisher(submission.organisation.number)
    with RssWatch(_service_pids(stack)) as publishing:
        publish_seconds, answer = provide_streamed(endpoint, publisher, submission, size)
    if SUCCESS not in answer:
        raise RuntimeError(f"ITI-41 of {size} bytes failed: {answer[:500]!r}")
    repository = RepositorySettings.from_env(stack.environ).repository_unique_id
    request = DocumentRequest(
        repository_unique_id=repository, document_unique_id=document.unique_id
    )
    reader = tokens.reader(patient.cx)
    repository_process = stack.repository
    assert repository_process is not None
    sampling = profile.start(repository_process.popen.pid, PROFILE_SECONDS)
    with RssWatch(_service_pids(stack)) as retrieving:
        runs = [retrieve_streamed(endpoint, reader, request) for _ in range(retrievals)]
    iti43_profile = profile.finish(sampling)
    received = runs[0][1]
    raw = folder / "raw-document.pdf"
    write_file(raw, pdf_parts(document.title, list(document.lines), pad_to=size).chunks())
    file_seconds = statistics.median(raw_file_read(raw) for _ in range(retrievals))
    raw.unlink()
    s3_seconds = statistics.median(
        raw_s3_read(stack.environ, document.unique_id) for _ in range(retrievals)
    )
    iti43_seconds = statistics.median(seconds for seconds, _ in runs)
    mb = size / MB
    return {
        "document_mb": round(mb, 1),
        "response_mb": round(received / MB, 1),
        "iti41_seconds": round(publish_seconds, 2),
        "iti41_mb_per_second": round(mb / publish_seconds, 1),
        "iti43_mb_per_second": round(mb / iti43_seconds, 1),
        "raw_file_mb_per_second": round(mb / file_seconds, 1),
        "raw_s3_mb_per_second": round(mb / s3_seconds, 1),
        "iti43_share_of_raw_file": round(file_seconds / iti43_seconds, 3),
        "iti43_share_of_raw_s3": round(s3_seconds / iti43_seconds, 3),
        "publish_rss_growth_mb": publishing.growth_mb(),
        "retrieve_rss_growth_mb": retrieving.growth_mb(),
        "services_peak_rss_mb": max(publishing.peak_mb(), retrieving.peak_mb()),
        "iti43_profile": iti43_profile,
    }
