"""A small XDS.b client for the tools that call a running deployment (demo seeding, `make bench`,
the integration tests): ITI-41 as MTOM, ITI-42, ITI-18 FindDocuments and ITI-43, each with an
access token (interface §4–5). Built on the project's own codecs and urllib3 (keep-alive pools).

A refusal at the HTTP level (401, 403, 503 with a SOAP Fault) raises `ServiceRefused` naming the
fault's reason; an XDS-level answer (Success, PartialSuccess, Failure with a RegistryErrorList) is
returned as the transaction's response for the caller to judge.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree
from urllib3 import BaseHTTPResponse, PoolManager, Timeout

from schemas import vocabulary as v
from schemas.ebrim.provide import build_provide_and_register_request
from schemas.ebrim.query import build_adhoc_query_request, parse_adhoc_query_response
from schemas.ebrim.response import parse_registry_response
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_request,
    parse_retrieve_document_set_response,
)
from schemas.ebrim.submit import build_submit_objects_request
from schemas.model import (
    AdhocQueryRequest,
    AdhocQueryResponse,
    Cx,
    DocumentRequest,
    InlineContent,
    ProvideAndRegisterRequest,
    QueryParameter,
    RegistryResponse,
    RetrievedDocument,
    RetrieveDocumentSetRequest,
    RetrieveDocumentSetResponse,
    SubmitObjectsRequest,
)
from schemas.mtom import MULTIPART_RELATED, OutgoingAttachments, read_multipart, write_mtom
from schemas.soap import SOAP_CONTENT_TYPE, build_request, read_envelope, read_fault
from schemas.xml import parse_xml

RESPOND_ASYNC = "respond-async"
SOAP_ACTION_TYPE = f'{SOAP_CONTENT_TYPE}; charset=UTF-8; action="{{action}}"'


class ServiceRefused(Exception):
    """The service refused the request (HTTP status and the SOAP Fault's reason)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status}: {reason}")
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapCall:
    """One SOAP request ready to send: its Content-Type and body."""

    content_type: str
    body: bytes


def find_documents_query(patient: Cx) -> AdhocQueryRequest:
    """ITI-18 FindDocuments: the patient's Approved DocumentEntries, as LeafClass."""
    return AdhocQueryRequest(
        query_id=v.QUERY_FIND_DOCUMENTS,
        parameters=(
            QueryParameter("$XDSDocumentEntryPatientId", (f"'{patient.render()}'",)),
            QueryParameter("$XDSDocumentEntryStatus", (f"('{v.STATUS_APPROVED}')",)),
        ),
    )


def plain_call(action: str, payload: etree._Element, *, to: str | None = None) -> SoapCall:
    return SoapCall(
        content_type=SOAP_ACTION_TYPE.format(action=action),
        body=build_request(action, payload, to=to),
    )


def provide_call(request: ProvideAndRegisterRequest) -> SoapCall:
    """ITI-41 as MTOM/XOP: every document as its own MIME part."""
    attachments = OutgoingAttachments()
    payload = build_provide_and_register_request(request, attachments.attach)
    envelope = build_request(v.ACTION_PROVIDE_AND_REGISTER, payload)
    mtom = write_mtom(envelope, attachments.parts, action=v.ACTION_PROVIDE_AND_REGISTER)
    return SoapCall(content_type=mtom.content_type, body=b"".join(mtom.chunks))


def find_documents_call(patient: Cx) -> SoapCall:
    payload = build_adhoc_query_request(find_documents_query(patient))
    return plain_call(v.ACTION_STORED_QUERY, payload)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class XdsClient:
    """Calls a registry and a repository (base URLs such as http://127.0.0.1:8010)."""

    def __init__(
        self,
        *,
        registry: str,
        repository: str,
        timeout: float = 120.0,
        connections: int = 8,
    ) -> None:
        self.registry_endpoint = f"{registry.rstrip('/')}/xds/registry"
        self.repository_endpoint = f"{repository.rstrip('/')}/xds/repository"
        self._timeout = Timeout(connect=10.0, read=timeout)
        self._pool = PoolManager(num_pools=2, maxsize=connections, block=True)

    def send(
        self, url: str, call: SoapCall, headers: Mapping[str, str]
    ) -> tuple[BaseHTTPResponse, etree._Element]:
        """POST `call`; the HTTP response and the SOAP Body's payload (ServiceRefused on a
        Fault)."""
        response = self._pool.request(
            "POST",
            url,
            body=call.body,
            headers={"Content-Type": call.content_type, **headers},
            timeout=self._timeout,
            retries=False,
        )
        content_type = response.headers.get("Content-Type", "")
        if content_type.split(";", 1)[0].strip().lower() == MULTIPART_RELATED:
            raise ValueError("send() reads plain SOAP answers; use retrieve() for MTOM")
        payload = _payload(response.data, response.status)
        return response, payload

    def provide(
        self, request: ProvideAndRegisterRequest, *, token: str, deferred: bool = False
    ) -> RegistryResponse:
        """ITI-41; `deferred` asks the repository to answer once the documents are stored."""
        headers = bearer(token)
        if deferred:
            headers["Prefer"] = RESPOND_ASYNC
        _, payload = self.send(self.repository_endpoint, provide_call(request), headers)
        return parse_registry_response(payload)

    def register(self, request: SubmitObjectsRequest, *, token: str) -> RegistryResponse:
        """ITI-42."""
        call = plain_call(v.ACTION_REGISTER, build_submit_objects_request(request))
        _, payload = self.send(self.registry_endpoint, call, bearer(token))
        return parse_registry_response(payload)

    def find_documents(self, patient: Cx, *, token: str) -> AdhocQueryResponse:
        """ITI-18 FindDocuments (LeafClass) for `patient`."""
        _, payload = self.send(self.registry_endpoint, find_documents_call(patient), bearer(token))
        return parse_adhoc_query_response(payload)

    def retrieve(
        self, documents: Sequence[DocumentRequest], *, token: str
    ) -> RetrieveDocumentSetResponse:
        """ITI-43; the documents' bytes are read into memory (meant for small documents)."""
        request = RetrieveDocumentSetRequest(documents=tuple(documents))
        call = plain_call(v.ACTION_RETRIEVE, build_retrieve_document_set_request(request))
        response = self._pool.request(
            "POST",
            self.repository_endpoint,
            body=call.body,
            headers={"Content-Type": call.content_type, **bearer(token)},
            timeout=self._timeout,
            retries=False,
        )
        content_type = response.headers.get("Content-Type", "")
        if content_type.split(";", 1)[0].strip().lower() != MULTIPART_RELATED:
            return parse_retrieve_document_set_response(_payload(response.data, response.status))
        with read_multipart(content_type, io.BytesIO(response.data)) as message:
            payload = _payload(message.root, response.status)
            answer = parse_retrieve_document_set_response(payload, message.attachment)
            return RetrieveDocumentSetResponse(
                status=answer.status,
                errors=answer.errors,
                documents=tuple(_in_memory(d) for d in answer.documents),
            )

    def close(self) -> None:
        self._pool.clear()


def _payload(body: bytes, status: int) -> etree._Element:
    envelope = read_envelope(parse_xml(body))
    fault = read_fault(envelope.body)
    if fault is not None:
        raise ServiceRefused(status, fault.reason)
    return envelope.body


def _in_memory(document: RetrievedDocument) -> RetrievedDocument:
    with document.content.open() as stream:
        data = stream.read()
    return RetrievedDocument(
        repository_unique_id=document.repository_unique_id,
        document_unique_id=document.document_unique_id,
        mime_type=document.mime_type,
        content=InlineContent(data),
        home_community_id=document.home_community_id,
    )
