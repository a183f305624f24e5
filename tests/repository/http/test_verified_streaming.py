"""What a real client sees of a large document whose stored bytes were corrupted, from the
repository under gunicorn as in production (`dokdeling repository serve`), on both storage
backends: the MTOM answer is cut off before the corrupted piece and before its closing boundary,
and the connection closed, so the repository's own client, urllib3 and requests (zeep's
transport) all fail instead of returning a document; intact documents come back whole."""

from __future__ import annotations

import io
import json
import random
import re
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
import urllib3

from dokdeling.client import SoapCall, XdsClient, plain_call
from repository.model import CHECKPOINT_INTERVAL
from schemas import vocabulary as v
from schemas.ebrim.retrieve import build_retrieve_document_set_request
from schemas.errors import ResponseStatus
from schemas.model import DocumentRequest, RetrieveDocumentSetRequest
from schemas.mtom.headers import read_package_type
from tests.support.fake_registry import FakeRegistry
from tests.support.ports import free_port
from tests.support.processes import ServerProcess
from tests.support.repository import (
    document_request,
    document_unique_id,
    provide_request,
    registered,
)
from tests.support.repository_deployment import RepositoryDeployment
from tests.support.seaweed import SeaweedServer
from tests.support.submissions import PATIENT_ID
from trustframework.devissuer import Persona

INTERVAL = CHECKPOINT_INTERVAL
LARGE = [random.Random(n).randbytes(2 * INTERVAL + 4096 * n) for n in (1, 2, 3, 4)]
SMALL = b"%PDF-1.7 kort notat\n"
CORRUPTED = {"first": (2, 100), "middle": (3, INTERVAL + 100), "last": (4, 2 * INTERVAL + 100)}
"""Which document gets a flipped bit where: in its first, a middle and its last piece."""


@dataclass
class Served:
    deployment: RepositoryDeployment
    url: str

    def token(self) -> str:
        header = self.deployment.bearer(Persona.GP, patient=PATIENT_ID)["Authorization"]
        return header.removeprefix("Bearer ")

    def request(self, *numbers: int) -> tuple[DocumentRequest, ...]:
        return tuple(document_request(self.deployment.settings, n) for n in numbers)

    def call(self, *numbers: int) -> SoapCall:
        wanted = RetrieveDocumentSetRequest(documents=self.request(*numbers))
        return plain_call(v.ACTION_RETRIEVE, build_retrieve_document_set_request(wanted))

    def headers(self, call: SoapCall) -> dict[str, str]:
        return {"Content-Type": call.content_type, "Authorization": f"Bearer {self.token()}"}

    def answers_cut_off(self) -> float:
        """`dokdeling_soap_answers_cut_off_total` of ITI-43 for integrity, from /metrics."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=10) as response:
            exposition = response.read().decode()
        labels = f'action="{v.ACTION_RETRIEVE}",reason="integrity"'
        line = rf"^dokdeling_soap_answers_cut_off_total\{{{labels}\}} (\S+)$"
        found = re.search(line, exposition, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def corrupt(self, number: int, offset: int) -> None:
        document = registered(self.deployment.services.store, document_unique_id(number))
        assert document is not None
        damaged = bytearray(LARGE[number - 1])
        damaged[offset] ^= 0x01
        storage = self.deployment.services.storage
        storage.delete(document.storage_key)
        storage.put(document.storage_key, io.BytesIO(bytes(damaged)))


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return bool(json.load(response)["status"] == "ok")
    except (OSError, ValueError, KeyError):
        return False


@pytest.fixture(scope="module", params=["filesystem", pytest.param("s3", marks=pytest.mark.s3)])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """Documents 1–4 large (three pieces each) and 5 small, served by gunicorn."""
    variables: dict[str, str] = {}
    if request.param == "s3":
        server: SeaweedServer = request.getfixturevalue("seaweed_server")
        variables = {
            "STORAGE_URL": server.storage_url(f"served-{uuid.uuid4().hex[:10]}"),
            "S3_ACCESS_KEY": server.access_key,
            "S3_SECRET_KEY": server.secret_key,
            "S3_CREATE_BUCKET": "true",
        }
    folder = tmp_path_factory.mktemp("repository")
    registry = FakeRegistry().start()
    deployment = RepositoryDeployment(folder, registry, variables)
    gunicorn: ServerProcess | None = None
    try:
        deployment.start_worker()
        outcome = deployment.services.provide.provide(provide_request([*LARGE, SMALL]))
        assert outcome.response.status is ResponseStatus.SUCCESS
        port = free_port()
        command = [sys.executable, "-m", "dokdeling", "repository", "serve", "--port", str(port)]
        log = folder / "serve.log"
        gunicorn = ServerProcess("repository", command, log, env=deployment.environ)
        url = f"http://127.0.0.1:{port}"
        gunicorn.wait_ready(lambda: _healthy(url))
        yield Served(deployment, url)
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        deployment.stop()
        registry.stop()


def test_large_and_small_documents_come_back_whole(served: Served) -> None:
    client = XdsClient(registry=served.url, repository=served.url)
    answer = client.retrieve(served.request(1, 5), token=served.token())
    assert answer.status is ResponseStatus.SUCCESS
    received = {}
    for document in answer.documents:
        with document.content.open() as stream:
            received[document.document_unique_id] = stream.read()
    assert received == {document_unique_id(1): LARGE[0], document_unique_id(5): SMALL}


@pytest.mark.parametrize("place", CORRUPTED)
def test_a_client_never_receives_a_complete_answer_with_corrupted_bytes(
    served: Served, place: str
) -> None:
    number, offset = CORRUPTED[place]
    served.corrupt(number, offset)
    url = f"{served.url}/xds/repository"
    call = served.call(5, number)

    client = XdsClient(registry=served.url, repository=served.url)
    with pytest.raises(urllib3.exceptions.ProtocolError):
        client.retrieve(served.request(5, number), token=served.token())

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.post(url, data=call.body, headers=served.headers(call), timeout=60)

    pool = urllib3.PoolManager()
    response = pool.request(
        "POST", url, body=call.body, headers=served.headers(call), preload_content=False
    )
    assert response.status == 200  # the status line went out before the corrupted piece
    received = received_until_cut_off(response)
    dash = b"--" + read_package_type(response.headers["Content-Type"]).boundary
    assert dash + b"--" not in received  # no closing boundary
    last_part = received.rindex(dash + b"\r\n")
    sent_of_document = received[received.index(b"\r\n\r\n", last_part) + 4 :]
    assert sent_of_document == LARGE[number - 1][: (offset // INTERVAL) * INTERVAL]
    assert served.answers_cut_off() >= 3  # this test's three, counted in /metrics


def test_an_intact_answer_is_not_counted_as_cut_off(served: Served) -> None:
    before = served.answers_cut_off()
    client = XdsClient(registry=served.url, repository=served.url)
    answer = client.retrieve(served.request(1), token=served.token())
    assert answer.status is ResponseStatus.SUCCESS
    assert served.answers_cut_off() == before


def received_until_cut_off(response: urllib3.BaseHTTPResponse) -> bytes:
    """The body as it arrives, until the connection is cut off (which it must be)."""
    received = bytearray()
    try:
        for chunk in response.stream(1024 * 1024):
            received += chunk
    except urllib3.exceptions.ProtocolError:
        return bytes(received)
    raise AssertionError("the answer was complete")
