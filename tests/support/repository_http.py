"""The repository's SOAP endpoint over real HTTP, as a source and a consumer call it: ITI-41 with
inline documents, ITI-43 (the MTOM answer read back with our codecs), ITI-86; each with the
caller's headers (tokens), each answer with its HTTP status and headers."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import requests
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.provide import build_provide_and_register_request
from schemas.ebrim.remove import build_remove_documents_request
from schemas.ebrim.response import read_registry_errors, read_status
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_request,
    parse_retrieve_document_set_response,
)
from schemas.ebrim.rim import RimObjectList
from schemas.ebrim.submit import RimSubmission, submission_from_rim
from schemas.errors import RegistryError, ResponseStatus
from schemas.model.messages import (
    Document,
    DocumentRequest,
    InlineContent,
    ProvideAndRegisterRequest,
    RemoveDocumentsRequest,
    RetrieveDocumentSetRequest,
)
from schemas.mtom import MULTIPART_RELATED, find_attachment, read_multipart
from schemas.soap import SOAP_CONTENT_TYPE, SoapFault, build_request, read_envelope, read_fault
from schemas.xml import parse_xml
from tests.support.repository import entry_id

TIMEOUT_SECONDS = 120


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """One HTTP answer of the SOAP endpoint; `documents` are ITI-43's (uniqueId → bytes)."""

    status: int
    headers: Mapping[str, str]
    payload: etree._Element
    body: bytes
    documents: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def fault(self) -> SoapFault | None:
        return read_fault(self.payload)

    def _registry_response(self) -> etree._Element:
        if self.payload.tag == f"{{{v.NS_RS}}}RegistryResponse":
            return self.payload
        inner = self.payload.find(f"{{{v.NS_RS}}}RegistryResponse")
        assert inner is not None, etree.tostring(self.payload)
        return inner

    @property
    def response_status(self) -> ResponseStatus:
        return read_status(self._registry_response())

    @property
    def errors(self) -> tuple[RegistryError, ...]:
        return read_registry_errors(self._registry_response())

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors if e.is_error]


class RepositoryHttp:
    """Calls one repository endpoint."""

    def __init__(self, url: str, repository_unique_id: str) -> None:
        self.url = url
        self.repository_unique_id = repository_unique_id

    def call(self, action: str, payload: etree._Element, headers: Mapping[str, str]) -> Answer:
        content_type = f'{SOAP_CONTENT_TYPE}; charset=UTF-8; action="{action}"'
        response = requests.post(
            self.url,
            data=build_request(action, payload, to=self.url),
            headers={"Content-Type": content_type, **headers},
            timeout=TIMEOUT_SECONDS,
        )
        return _answer(response)

    def provide(
        self, objects: RimObjectList, contents: Sequence[bytes], headers: Mapping[str, str]
    ) -> Answer:
        """ITI-41: document n+1 of `objects` (ids `Document01`, …) holds `contents[n]`."""
        documents = tuple(
            Document(id=entry_id(n), content=InlineContent(content))
            for n, content in enumerate(contents, start=1)
        )
        submission = submission_from_rim(RimSubmission(object_list=objects))
        request = ProvideAndRegisterRequest(submission=submission, documents=documents)
        payload = build_provide_and_register_request(request)
        return self.call(v.ACTION_PROVIDE_AND_REGISTER, payload, headers)

    def retrieve(self, unique_ids: Sequence[str], headers: Mapping[str, str]) -> Answer:
        request = RetrieveDocumentSetRequest(documents=self._requests(unique_ids))
        payload = build_retrieve_document_set_request(request)
        return self.call(v.ACTION_RETRIEVE, payload, headers)

    def remove(self, unique_ids: Sequence[str], headers: Mapping[str, str]) -> Answer:
        request = RemoveDocumentsRequest(documents=self._requests(unique_ids))
        return self.call(
            v.ACTION_REMOVE_DOCUMENTS, build_remove_documents_request(request), headers
        )

    def _requests(self, unique_ids: Sequence[str]) -> tuple[DocumentRequest, ...]:
        return tuple(
            DocumentRequest(repository_unique_id=self.repository_unique_id, document_unique_id=u)
            for u in unique_ids
        )


def _answer(response: requests.Response) -> Answer:
    content_type = response.headers.get("Content-Type", "")
    headers = dict(response.headers)
    if content_type.split(";", 1)[0].strip().lower() != MULTIPART_RELATED:
        payload = read_envelope(parse_xml(response.content)).body
        return Answer(
            status=response.status_code, headers=headers, payload=payload, body=response.content
        )
    with read_multipart(content_type, io.BytesIO(response.content)) as message:
        payload = read_envelope(parse_xml(message.root)).body
        parts = message.attachments
        retrieved = parse_retrieve_document_set_response(
            payload, lambda content_id: find_attachment(parts, content_id)
        )
        documents = {}
        for document in retrieved.documents:
            with document.content.open() as stream:
                documents[document.document_unique_id] = stream.read()
    return Answer(
        status=response.status_code,
        headers=headers,
        payload=payload,
        body=response.content,
        documents=documents,
    )
