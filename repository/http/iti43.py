"""ITI-43 Retrieve Document Set at `POST /xds/repository`: an MTOM answer.

Each document is verified in the request's spool before the answer is built
(`repository.services.retrieve`); the MTOM writer then streams the verified copies, one chunk at
a time, and each part carries the document's mimeType.
"""

from __future__ import annotations

from lxml import etree

from repository.state import RepositoryState
from schemas import vocabulary as v
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_response,
    parse_retrieve_document_set_request,
)
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.model.messages import DocumentContent
from schemas.mtom import Attachment, OutgoingAttachment, new_content_id
from schemas.mtom.attachment import OCTET_STREAM
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction

OPERATION = WsdlOperation(
    name="DocumentRepository_RetrieveDocumentSet",
    action=v.ACTION_RETRIEVE,
    request=etree.QName(v.NS_XDSB, "RetrieveDocumentSetRequest"),
    response=etree.QName(v.NS_XDSB, "RetrieveDocumentSetResponse"),
)


def _part_type(content: DocumentContent) -> str:
    """The MIME part's Content-Type: the document's mimeType when it is a safe header value."""
    mime_type = content.content_type if isinstance(content, Attachment) else OCTET_STREAM
    safe = mime_type and mime_type.isascii() and mime_type.isprintable() and "\r" not in mime_type
    return mime_type if safe else OCTET_STREAM


def handler(state: RepositoryState) -> Handler:
    retrieve = state.services.retrieve

    def handle(request: SoapRequest) -> SoapResponse:
        wanted = parse_retrieve_document_set_request(request.envelope.body)
        parts: list[OutgoingAttachment] = []

        def attach(content: DocumentContent) -> str:
            content_id = new_content_id()
            part = OutgoingAttachment(
                content_id=content_id, content=content.open(), content_type=_part_type(content)
            )
            parts.append(part)
            return content_id

        with retrieve.retrieve(wanted) as retrieved:
            payload = build_retrieve_document_set_response(retrieved.response, attach)
        return SoapResponse(action=OPERATION.response_action, payload=payload, attachments=parts)

    return handle


TRANSACTION = SoapTransaction[RepositoryState](operation=OPERATION, handler=handler)
