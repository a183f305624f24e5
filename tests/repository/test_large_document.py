"""A 1 GiB document provided as MTOM, registered by a worker process and retrieved as MTOM,
with bounded memory, through the secured endpoint (tokens, access policy, audit): the request
body is generated while it is read and the answer is hashed while it is produced; nothing ever
holds the document."""

from __future__ import annotations

import io
import resource
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemas import vocabulary as v
from schemas.ebrim.provide import build_provide_and_register_request
from schemas.ebrim.retrieve import build_retrieve_document_set_request
from schemas.ebrim.submit import RimSubmission, submission_from_rim
from schemas.endpoint import HttpRequestFacts, SoapEndpoint
from schemas.model.messages import (
    Document,
    DocumentContent,
    InlineContent,
    ProvideAndRegisterRequest,
    RetrieveDocumentSetRequest,
)
from schemas.mtom import Attachment, MessageLimits, read_multipart
from schemas.soap import build_request
from servicekit.soap_http import EXTENSION as SOAP_EXTENSION
from tests.support.fake_registry import FakeRegistry
from tests.support.mtom import XOP_ROOT, GeneratedBody, part
from tests.support.repository import document_request, entry_id, provided_submission
from tests.support.repository_deployment import RepositoryDeployment
from tests.support.submissions import PATIENT_ID
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import Persona

pytestmark = pytest.mark.slow

GIB = 1024**3
MEMORY_GROWTH_LIMIT = 64 * 1024 * 1024
BOUNDARY = b"MIMEBoundary_dokdeling_large_document_test"
CONTENT_ID = "stor-epikrise@dokdeling.test"
OUS = "993467049"  # the author institution of the document: its data controller


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[RepositoryDeployment]:
    registry = FakeRegistry().start()
    deployment = RepositoryDeployment(tmp_path, registry, {"REGISTRATION_TIMEOUT": "120"})
    try:
        deployment.start_worker()
        yield deployment
    finally:
        deployment.stop()
        registry.stop()


def provide_body() -> tuple[str, GeneratedBody]:
    """An ITI-41 MTOM body whose one document is 1 GiB, generated while it is read."""
    submission = submission_from_rim(RimSubmission(object_list=provided_submission(1)))
    placeholder = Document(id=entry_id(1), content=InlineContent(b""))

    def attach(content: DocumentContent) -> str:
        return CONTENT_ID

    payload = build_provide_and_register_request(
        ProvideAndRegisterRequest(submission=submission, documents=(placeholder,)), attach
    )
    envelope = build_request(v.ACTION_PROVIDE_AND_REGISTER, payload)
    dash = b"--" + BOUNDARY
    root = part([XOP_ROOT, "Content-ID: <root@dokdeling.test>"], envelope)
    document_head = f"\r\nContent-ID: <{CONTENT_ID}>\r\n\r\n".encode()
    head = dash + b"\r\n" + root + b"\r\n" + dash + document_head
    body = GeneratedBody(head, GIB, b"\r\n" + dash + b"--\r\n", BOUNDARY)
    content_type = (
        f'multipart/related; type="application/xop+xml"; start="<root@dokdeling.test>"; '
        f'start-info="application/soap+xml"; boundary={BOUNDARY.decode()}'
    )
    return content_type, body


def test_a_1_gib_document_is_stored_and_retrieved_with_bounded_memory(
    repository: RepositoryDeployment,
) -> None:
    endpoint: SoapEndpoint = repository.app.extensions[SOAP_EXTENSION].endpoint
    content_type, body = provide_body()
    retrieve_request = build_request(
        v.ACTION_RETRIEVE,
        build_retrieve_document_set_request(
            RetrieveDocumentSetRequest(documents=(document_request(repository.settings, 1),))
        ),
    )
    source = caller(repository.bearer(Persona.PUBLISHER, extra_claims={CLAIM_ORGNR_PARENT: OUS}))
    reader = caller(repository.bearer(Persona.GP, patient=PATIENT_ID))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        provided = endpoint.handle(content_type, body, http=source)  # type: ignore[arg-type]
        provide_answer = b"".join(provided.body)
        retrieved = endpoint.handle(
            f'application/soap+xml; action="{v.ACTION_RETRIEVE}"',
            io.BytesIO(retrieve_request),
            http=reader,
        )
        answer = ChunkReader(iter(retrieved.body))
        with read_multipart(retrieved.content_type, answer, MessageLimits()) as message:
            (document_part,) = message.attachments.values()
            assert isinstance(document_part, Attachment)
            received = (document_part.size, document_part.sha256)
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before

    assert provided.status == 200
    assert v.RESPONSE_SUCCESS.encode() in provide_answer
    assert received == (GIB, body.sha256.hexdigest())
    (document,) = repository.services.store.live_documents(
        [document_request(repository.settings, 1).document_unique_id]
    ).values()
    assert document.digest.size == GIB
    assert document.digest.sha256 == body.sha256.hexdigest()
    assert document.digest.sha1 == body.sha1.hexdigest()
    assert traced_peak < MEMORY_GROWTH_LIMIT
    assert rss_growth < MEMORY_GROWTH_LIMIT


def caller(headers: dict[str, str]) -> HttpRequestFacts:
    """The HTTP facts of a request carrying these headers (the token)."""
    return HttpRequestFacts(
        method="POST", url="http://127.0.0.1/xds/repository", headers=tuple(headers.items())
    )


class ChunkReader:
    """The answer's chunks, read as they are produced."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def read(self, size: int, /) -> bytes:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._pending = chunk
        data, self._pending = self._pending[:size], self._pending[size:]
        return data
