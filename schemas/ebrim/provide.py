"""`xdsb:ProvideAndRegisterDocumentSetRequest` (ITI-41): a submission and its documents.

Each `xdsb:Document` carries the entryUUID (or symbolic id) of its DocumentEntry in `@id` and its
bytes inline or as an MTOM attachment (see `schemas.ebrim.attachments`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from schemas.ebrim.attachments import (
    AttachmentResolver,
    AttachmentWriter,
    inline_all,
    no_attachments,
    read_document_content,
    write_document_content,
)
from schemas.ebrim.submit import (
    RimSubmission,
    read_submission,
    submission_from_rim,
    write_submission,
)
from schemas.ebrim.wire import (
    expect_root,
    lcm,
    required_attribute,
    required_child,
    root_element,
    xdsb,
)
from schemas.model.messages import Document, ProvideAndRegisterRequest

_PROVIDE = xdsb("ProvideAndRegisterDocumentSetRequest")


@dataclass(frozen=True, slots=True, kw_only=True)
class RimProvideAndRegister:
    """A PnR request as received, before validation: the rim submission and the documents."""

    submission: RimSubmission
    documents: tuple[Document, ...]


def read_provide_and_register_request(
    payload: etree._Element, attachment: AttachmentResolver = no_attachments
) -> RimProvideAndRegister:
    expect_root(payload, _PROVIDE)
    submission = read_submission(required_child(payload, lcm("SubmitObjectsRequest")))
    documents = tuple(
        Document(
            id=required_attribute(element, "id"),
            content=read_document_content(element, attachment),
        )
        for element in payload.iterchildren(xdsb("Document"))
    )
    return RimProvideAndRegister(submission=submission, documents=documents)


def provide_and_register_from_rim(request: RimProvideAndRegister) -> ProvideAndRegisterRequest:
    return ProvideAndRegisterRequest(
        submission=submission_from_rim(request.submission), documents=request.documents
    )


def parse_provide_and_register_request(
    payload: etree._Element, attachment: AttachmentResolver = no_attachments
) -> ProvideAndRegisterRequest:
    return provide_and_register_from_rim(read_provide_and_register_request(payload, attachment))


def build_provide_and_register_request(
    request: ProvideAndRegisterRequest, attach: AttachmentWriter = inline_all
) -> etree._Element:
    root = root_element(_PROVIDE, "xdsb", "lcm", "rim", "rs")
    write_submission(root, request.submission)
    for document in request.documents:
        element = etree.SubElement(root, xdsb("Document"), id=document.id)
        write_document_content(element, document.content, attach)
    return root
