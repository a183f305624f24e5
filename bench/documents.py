"""ITI-41 and ITI-43 with documents of a given size: publishing throughput at 1 KB, 100 KB and
10 MB; retrieval MB/s beside reading the same bytes raw (a local file, and the S3 object); and the
services' peak memory while a 1 GB document is published and retrieved (streamed both ways: the
client never holds it either)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from urllib3 import PoolManager, Timeout

from dokdeling.client import XdsClient, bearer
from dokdeling.synthetic import GeneratorSettings, SyntheticData, SyntheticSubmission
from dokdeling.synthetic.catalogue import RADIOLOGISVAR
from dokdeling.synthetic.pdf import pdf_parts
from dokdeling.tokens import ToolTokens
from schemas import vocabulary as v
from schemas.ebrim.provide import build_provide_and_register_request
from schemas.errors import ResponseStatus
from schemas.model import Document, DocumentRequest, InlineContent
from schemas.mtom import OutgoingAttachment, write_mtom
from schemas.soap import build_request
from tests.support.deployment import descendants

KB, MB = 1024, 1024 * 1024
READ_CHUNK = MB


def _submissions(size: int, count: int, seed: int) -> list[SyntheticSubmission]:
    data = SyntheticData(GeneratorSettings(seed=seed, now=datetime.now(UTC), pad_to=size))
    out = []
    for _ in range(count):
        patient = data.patient()
        out += data.submissions([data.document(patient, RADIOLOGISVAR, nors=False)])
    return out


def publish_rate(
    client: XdsClient, tokens: ToolTokens, *, size: int, count: int, concurrency: int = 16
) -> dict[str, Any]:
    """Documents/s of ITI-41 (wait mode: answered when the registry has registered them)."""
    submissions = _submissions(size, count, seed=size)
    requests = [s.provide_request() for s in submissions]
    organisations = {s.organisation.number for s in submissions}
    tokens_of = {number: tokens.publisher(number) for number in organisations}

    def send(n: int) -> None:
        token = tokens_of[submissions[n].organisation.number]
        answer = client.provide(requests[n], token=token)
        if answer.status is not ResponseStatus.SUCCESS:
            raise RuntimeError(f"ITI-41 failed: {answer.errors}")

    begin = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, range(len(requests))))
    seconds = time.perf_counter() - begin
    return {
        "document_bytes": len(requests[0].documents[0].content.open().read()),
        "documents": count,
        "concurrency": concurrency,
        "seconds": round(seconds, 2),
        "documents_per_second": round(count / seconds, 1),
    }


class _Stream:
    """A file-like over generated chunks (the MTOM writer reads the document from it)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._pending = chunks, b""

    def read(self, size: int = -1) -> bytes:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return b""
        piece, self._pending = self._pending[:size], self._pending[size:]
        return piece

    def close(self) -> None:
        self._pending = b""

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def provide_streamed(
    url: str, token: str, submission: SyntheticSubmission, size: int
) -> tuple[float, bytes]:
    """ITI-41 of a document of `size` bytes generated while it is sent (chunked HTTP)."""
    document = submission.documents[0]
    parts = pdf_parts(document.title, list(document.lines), pad_to=size)
    request = submission.provide_request()
    placeholder = Document(id=request.documents[0].id, content=InlineContent(b""))
    payload = build_provide_and_register_request(
        type(request)(submission=request.submission, documents=(placeholder,)),
        lambda _content: "large-document@dokdeling",
    )
    envelope = build_request(v.ACTION_PROVIDE_AND_REGISTER, payload)
    attachment = OutgoingAttachment(
        content_id="large-document@dokdeling",
        content=_Stream(parts.chunks()),  # type: ignore[arg-type]
    )
    mtom = write_mtom(envelope, [attachment], action=v.ACTION_PROVIDE_AND_REGISTER)
    pool = PoolManager(timeout=Timeout(connect=10, read=900))
    begin = time.perf_counter()
    response = pool.request(
        "POST",
        url,
        body=mtom.chunks,
        headers={"Content-Type": mtom.content_type, **bearer(token)},
        chunked=True,
        retries=False,
    )
    return time.perf_counter() - begin, response.data


def retrieve_streamed(url: str, token: str, request: DocumentRequest) -> tuple[float, int]:
    """ITI-43 read as it arrives and thrown away; seconds and bytes received."""
    from dokdeling.client import plain_call
    from schemas.ebrim.retrieve import build_retrieve_document_set_request
    from schemas.model import RetrieveDocumentSetRequest

    call = plain_call(
        v.ACTION_RETRIEVE,
        build_retrieve_document_set_request(RetrieveDocumentSetRequest(documents=(request,))),
    )
    pool = PoolManager(timeout=Timeout(connect=10, read=900))
    begin = time.perf_counter()
    response = pool.request(
        "POST",
        url,
        body=call.body,
        headers={"Content-Type": call.content_type, **bearer(token)},
        preload_content=False,
        retries=False,
    )
    received = 0
    for chunk in response.stream(READ_CHUNK):
        received += len(chunk)
    response.release_conn()
    if response.status != 200:
        raise RuntimeError(f"ITI-43 answered HTTP {response.status}")
    return time.perf_counter() - begin, received


def raw_file_read(path: Path) -> float:
    """Seconds to read the file with 1 MiB reads, after dropping it from the page cache."""
    with path.open("rb") as handle:
        os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        begin = time.perf_counter()
        while handle.read(READ_CHUNK):
            pass
        return time.perf_counter() - begin


def write_file(path: Path, chunks: Iterator[bytes]) -> int:
    size = 0
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            size += len(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return size


class RssWatch:
    """Samples VmRSS of a process tree every 20 ms; the largest growth of any process."""

    def __init__(self, root_pids: list[int]) -> None:
        self._roots = root_pids
        self._baseline: dict[int, int] = {}
        self._peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _pids(self) -> set[int]:
        found = set(self._roots)
        for root in self._roots:
            found |= descendants(root)
        return found

    @staticmethod
    def _rss(pid: int) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return None

    def _sample(self) -> None:
        for pid in self._pids():
            rss = self._rss(pid)
            if rss is not None:
                self._baseline.setdefault(pid, rss)
                self._peak[pid] = max(self._peak.get(pid, 0), rss)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self._sample()

    def __enter__(self) -> RssWatch:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def growth_mb(self) -> float:
        growths = [self._peak[p] - self._baseline[p] for p in self._peak]
        return round(max(growths, default=0) / MB, 1)

    def peak_mb(self) -> float:
        return round(max(self._peak.values(), default=0) / MB, 1)


def _storage_key(repository_database: str, unique_id: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(repository_database)
    try:
        with engine.connect() as connection:
            key = connection.execute(
                sa.text("SELECT storage_key FROM repository_document WHERE unique_id = :u"),
                {"u": unique_id},
            ).scalar_one()
    finally:
        engine.dispose()
    return str(key)


def raw_s3_read(environ: dict[str, str], unique_id: str) -> float:
    """Seconds to GET the stored object straight from S3 (minio, 1 MiB reads)."""
    from urllib.parse import parse_qs, urlsplit

    from minio import Minio

    url = urlsplit(environ["DOKDELING_STORAGE_URL"])
    endpoint = urlsplit(parse_qs(url.query)["endpoint"][0]).netloc
    client = Minio(
        endpoint,
        access_key=environ["DOKDELING_S3_ACCESS_KEY"],
        secret_key=environ["DOKDELING_S3_SECRET_KEY"],
        secure=False,
    )
    key = _storage_key(environ["DOKDELING_REPOSITORY_DATABASE_URL"], unique_id)
    begin = time.perf_counter()
    response = client.get_object(url.netloc, key)
    try:
        for _ in response.stream(READ_CHUNK):
            pass
    finally:
        response.close()
        response.release_conn()
    return time.perf_counter() - begin
