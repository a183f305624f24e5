"""ITI-43 Retrieve Document Set at `POST /xds/repository`: an MTOM answer.

The guard admits the caller (read-document scope, attest, patient binding); each document is
then judged by the access policy from the repository's own record of it (`repository.http.access`:
withheld documents answer as unknown ones), verified (`repository.services.retrieve`: whole in
the request's spool, or piece by piece as it streams), and recorded in the audit (returned and
withheld documents) before the answer is built: when the record cannot be written, no byte leaves
(503). The MTOM writer then streams the documents, each part with the document's mimeType; a
piece that fails its check cuts the answer off. The header `NHN-SecurityLabel-Nors-Count` counts
NORS documents withheld.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import BinaryIO

from flask import current_app, has_app_context
from lxml import etree

from repository.http.access import RetrieveAccess
from repository.services.verified_read import VerifiedStream
from repository.state import RepositoryState
from schemas import vocabulary as v
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_response,
    parse_retrieve_document_set_request,
)
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import RegistryError, status_for
from schemas.model.messages import DocumentContent, RetrieveDocumentSetResponse
from schemas.mtom import Attachment, OutgoingAttachment, new_content_id
from schemas.mtom.attachment import OCTET_STREAM
from schemas.wsdl import WsdlOperation
from servicekit.metrics import metrics_of
from servicekit.soap_http import SoapTransaction
from trustframework.guard import Admission
from trustframework.policy import NORS_COUNT_HEADER, Transaction
from trustframework.soap_edge import AuditNote, serve

OPERATION = WsdlOperation(
    name="DocumentRepository_RetrieveDocumentSet",
    action=v.ACTION_RETRIEVE,
    request=etree.QName(v.NS_XDSB, "RetrieveDocumentSetRequest"),
    response=etree.QName(v.NS_XDSB, "RetrieveDocumentSetResponse"),
)


def _part_type(content: DocumentContent) -> str:
    """The MIME part's Content-Type: the document's mimeType when it is a safe header value."""
    mime_type = OCTET_STREAM
    if isinstance(content, Attachment | VerifiedStream):
        mime_type = content.content_type
    safe = mime_type and mime_type.isascii() and mime_type.isprintable() and "\r" not in mime_type
    return mime_type if safe else OCTET_STREAM


def _failure(errors: tuple[RegistryError, ...]) -> SoapResponse:
    response = RetrieveDocumentSetResponse(status=status_for(errors), errors=errors)
    payload = build_retrieve_document_set_response(response)
    return SoapResponse(action=OPERATION.response_action, payload=payload)


def _cut_off_counter() -> Callable[[], None]:
    """Counts an answer cut off by an integrity failure in /metrics (when the app serves it)."""
    if not has_app_context():
        return lambda: None
    return metrics_of(current_app).soap_cut_off.labels(OPERATION.action, "integrity").inc


def handler(state: RepositoryState) -> Handler:
    retrieve = state.services.retrieve

    def answer(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        wanted = parse_retrieve_document_set_request(request.envelope.body)
        access = RetrieveAccess(state, admission)
        parts: list[OutgoingAttachment] = []
        cut_off = _cut_off_counter()

        def attach(content: DocumentContent) -> str:
            content_id = new_content_id()
            # spooled copies are opened now (the spool closes below); streams when they are sent
            sent: DocumentContent | BinaryIO = (
                replace(content, on_failure=cut_off)
                if isinstance(content, VerifiedStream)
                else content.open()
            )
            part = OutgoingAttachment(
                content_id=content_id, content=sent, content_type=_part_type(content)
            )
            parts.append(part)
            return content_id

        with retrieve.retrieve(wanted, withhold=access.withhold) as retrieved:
            state.guard.write(*access.events(retrieved.served, retrieved.response))
            note.recorded = True
            payload = build_retrieve_document_set_response(retrieved.response, attach)
        return SoapResponse(
            action=OPERATION.response_action,
            payload=payload,
            attachments=parts,
            http_headers={NORS_COUNT_HEADER: str(access.nors_count)},
        )

    def handle(request: SoapRequest) -> SoapResponse:
        return serve(
            state.guard,
            request,
            Transaction.RETRIEVE,
            lambda admission, note: answer(admission, note, request),
            _failure,
        )

    return handle


TRANSACTION = SoapTransaction[RepositoryState](operation=OPERATION, handler=handler)
