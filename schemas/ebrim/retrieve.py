"""`xdsb:RetrieveDocumentSetRequest`/`Response` (ITI-43), and the `xdsb:DocumentRequest` element
that ITI-86 `rmd:RemoveDocumentsRequest` uses too."""

from __future__ import annotations

from lxml import etree

from schemas.ebrim.attachments import (
    AttachmentResolver,
    AttachmentWriter,
    inline_all,
    no_attachments,
    read_document_content,
    write_document_content,
)
from schemas.ebrim.response import read_registry_errors, read_status, write_response_head
from schemas.ebrim.wire import (
    display_name,
    expect_root,
    optional_text,
    required_child,
    required_text,
    root_element,
    rs,
    text_element,
    xdsb,
)
from schemas.model.messages import (
    DocumentRequest,
    RetrievedDocument,
    RetrieveDocumentSetRequest,
    RetrieveDocumentSetResponse,
)
from schemas.soap import sender_fault

_REQUEST = xdsb("RetrieveDocumentSetRequest")
_RESPONSE = xdsb("RetrieveDocumentSetResponse")


def read_document_requests(payload: etree._Element) -> tuple[DocumentRequest, ...]:
    """The one or more `xdsb:DocumentRequest`s of a retrieve or remove request."""
    requests = tuple(
        DocumentRequest(
            home_community_id=optional_text(element, xdsb("HomeCommunityId")),
            repository_unique_id=required_text(element, xdsb("RepositoryUniqueId")),
            document_unique_id=required_text(element, xdsb("DocumentUniqueId")),
        )
        for element in payload.iterchildren(xdsb("DocumentRequest"))
    )
    if not requests:
        raise sender_fault(f"{display_name(payload.tag)} has no xdsb:DocumentRequest")
    return requests


def write_document_requests(parent: etree._Element, requests: tuple[DocumentRequest, ...]) -> None:
    for request in requests:
        element = etree.SubElement(parent, xdsb("DocumentRequest"))
        text_element(element, xdsb("HomeCommunityId"), request.home_community_id)
        text_element(element, xdsb("RepositoryUniqueId"), request.repository_unique_id)
        text_element(element, xdsb("DocumentUniqueId"), request.document_unique_id)


def parse_retrieve_document_set_request(payload: etree._Element) -> RetrieveDocumentSetRequest:
    expect_root(payload, _REQUEST)
    return RetrieveDocumentSetRequest(documents=read_document_requests(payload))


def build_retrieve_document_set_request(request: RetrieveDocumentSetRequest) -> etree._Element:
    root = root_element(_REQUEST, "xdsb")
    write_document_requests(root, request.documents)
    return root


def _read_retrieved(element: etree._Element, attachment: AttachmentResolver) -> RetrievedDocument:
    return RetrievedDocument(
        home_community_id=optional_text(element, xdsb("HomeCommunityId")),
        repository_unique_id=required_text(element, xdsb("RepositoryUniqueId")),
        document_unique_id=required_text(element, xdsb("DocumentUniqueId")),
        new_repository_unique_id=optional_text(element, xdsb("NewRepositoryUniqueId")),
        new_document_unique_id=optional_text(element, xdsb("NewDocumentUniqueId")),
        mime_type=required_text(element, xdsb("mimeType")),
        content=read_document_content(required_child(element, xdsb("Document")), attachment),
    )


def parse_retrieve_document_set_response(
    payload: etree._Element, attachment: AttachmentResolver = no_attachments
) -> RetrieveDocumentSetResponse:
    expect_root(payload, _RESPONSE)
    registry_response = required_child(payload, rs("RegistryResponse"))
    return RetrieveDocumentSetResponse(
        status=read_status(registry_response),
        documents=tuple(
            _read_retrieved(element, attachment)
            for element in payload.iterchildren(xdsb("DocumentResponse"))
        ),
        errors=read_registry_errors(registry_response),
    )


def _write_retrieved(
    parent: etree._Element, document: RetrievedDocument, attach: AttachmentWriter
) -> None:
    element = etree.SubElement(parent, xdsb("DocumentResponse"))
    text_element(element, xdsb("HomeCommunityId"), document.home_community_id)
    text_element(element, xdsb("RepositoryUniqueId"), document.repository_unique_id)
    text_element(element, xdsb("DocumentUniqueId"), document.document_unique_id)
    text_element(element, xdsb("NewRepositoryUniqueId"), document.new_repository_unique_id)
    text_element(element, xdsb("NewDocumentUniqueId"), document.new_document_unique_id)
    text_element(element, xdsb("mimeType"), document.mime_type)
    write_document_content(etree.SubElement(element, xdsb("Document")), document.content, attach)


def build_retrieve_document_set_response(
    response: RetrieveDocumentSetResponse, attach: AttachmentWriter = inline_all
) -> etree._Element:
    root = root_element(_RESPONSE, "xdsb", "rs")
    write_response_head(
        etree.SubElement(root, rs("RegistryResponse")), response.status, response.errors
    )
    for document in response.documents:
        _write_retrieved(root, document, attach)
    return root
