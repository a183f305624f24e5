"""The request each kind of step sends, built from its testplan and its placeholder values.

- Register (ITI-42) and Update (ITI-57): the prepared `lcm:SubmitObjectsRequest`
  (`prepare.prepare_submission`) to the registry.
- Provide and Register (ITI-41): that request in `xdsb:ProvideAndRegisterDocumentSetRequest` with
  one `xdsb:Document` per `<Document>` file, as MTOM/XOP to the repository; each part's content type
  is the mimeType of the DocumentEntry it belongs to.
- Stored query (ITI-18): the AdhocQueryRequest with its placeholders filled (and `CleanParams`
  applied), to the registry; `homeCommunityId` goes into `AdhocQuery/@home`.
- Retrieve (ITI-43): the RetrieveDocumentSetRequest with its placeholders filled, to the repository.
A placeholder left unfilled stops the step before anything is sent (`RequestError`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

from schemas.ebrim.attachments import AttachmentWriter, write_document_content
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import root_element, xdsb
from schemas.model.messages import DocumentContent, InlineContent
from schemas.mtom import OCTET_STREAM, OutgoingAttachment, new_content_id
from schemas.xml import UnsafeXml, parse_xml
from tests.conformance.nist.memory import SubmittedDocument
from tests.conformance.nist.prepare import (
    Assignments,
    IdAllocator,
    SubmissionOptions,
    clean_params,
    placeholders_in,
    prepare_submission,
    substitute_placeholders,
)
from tests.conformance.nist.testplan import DocumentFile, Transaction
from tests.conformance.nist.translate import TranslationError


class RequestError(ValueError):
    """A step whose request cannot be built: no metadata file, or placeholders nobody filled."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingRequest:
    """A request to send, with what the toolkit logs as its `InputMetadata`."""

    payload: etree._Element
    input_metadata: etree._Element
    attachments: tuple[OutgoingAttachment, ...] | None = None  # None: plain SOAP
    assignments: Assignments = field(default_factory=Assignments)
    documents: Mapping[str, SubmittedDocument] = field(default_factory=dict)  # by uniqueId


def read_metadata(transaction: Transaction) -> etree._Element:
    path = transaction.metadata_file
    if path is None:
        raise RequestError("the step names no MetadataFile")
    try:
        return parse_xml(path.read_bytes())
    except (OSError, UnsafeXml) as exc:
        raise RequestError(f"cannot read {path}: {exc}") from exc


def _no_placeholders_left(element: etree._Element) -> etree._Element:
    left = placeholders_in(element)
    if left:
        raise RequestError(f"placeholders nobody filled: {', '.join(sorted(left))}")
    return element


def submission(
    transaction: Transaction, options: SubmissionOptions, ids: IdAllocator
) -> OutgoingRequest:
    """A Register or Update request: the prepared SubmitObjectsRequest."""
    try:
        prepared = prepare_submission(read_metadata(transaction), options, ids)
    except TranslationError as exc:
        raise RequestError(f"cannot translate {transaction.metadata_file}: {exc}") from exc
    request = _no_placeholders_left(prepared.request)
    return OutgoingRequest(
        payload=request, input_metadata=request, assignments=prepared.assignments
    )


def _mime_types(request: etree._Element) -> dict[str, str]:
    return {
        document.get("id", ""): document.get("mimeType") or OCTET_STREAM
        for document in request.iter(rim("ExtrinsicObject"))
    }


class _MimeParts:
    """The MTOM parts of a request, each with the content type of its document."""

    def __init__(self) -> None:
        self.parts: list[OutgoingAttachment] = []

    def writer(self, content_type: str) -> AttachmentWriter:
        def attach(content: DocumentContent) -> str:
            content_id = new_content_id()
            part = OutgoingAttachment(
                content_id=content_id, content=content, content_type=content_type
            )
            self.parts.append(part)
            return content_id

        return attach


def provide_and_register(
    prepared: OutgoingRequest, documents: Sequence[DocumentFile]
) -> OutgoingRequest:
    """The Provide and Register request around a prepared submission, and its MTOM parts."""
    assignments = prepared.assignments
    root = root_element(xdsb("ProvideAndRegisterDocumentSetRequest"), "xdsb", "lcm", "rim")
    root.append(prepared.payload)
    mime_types = _mime_types(prepared.payload)
    parts = _MimeParts()
    sent: dict[str, SubmittedDocument] = {}
    for document in documents:
        try:
            data = document.path.read_bytes()
        except OSError as exc:
            raise RequestError(f"cannot read Document {document.id}: {exc}") from exc
        entry_id = assignments.uuids.get(document.id, document.id)
        mime_type = mime_types.get(entry_id, OCTET_STREAM)
        element = etree.SubElement(root, xdsb("Document"), id=entry_id)
        write_document_content(element, InlineContent(data), parts.writer(mime_type))
        if document.id in assignments.unique_ids:
            sent[assignments.unique_ids[document.id]] = SubmittedDocument(data, mime_type)
    return OutgoingRequest(
        payload=root,
        input_metadata=prepared.input_metadata,
        attachments=tuple(parts.parts),
        assignments=assignments,
        documents=MappingProxyType(sent),
    )


def stored_query(transaction: Transaction, values: Mapping[str, str]) -> OutgoingRequest:
    request = substitute_placeholders(read_metadata(transaction), values)
    if transaction.clean_params:
        request = clean_params(request)
    if transaction.home_community_id:
        for adhoc_query in request.iter(rim("AdhocQuery")):
            adhoc_query.set("home", transaction.home_community_id)
    request = _no_placeholders_left(request)
    return OutgoingRequest(payload=request, input_metadata=request)


def retrieve(transaction: Transaction, values: Mapping[str, str]) -> OutgoingRequest:
    request = _no_placeholders_left(substitute_placeholders(read_metadata(transaction), values))
    return OutgoingRequest(payload=request, input_metadata=request)


def document_requests(request: etree._Element) -> list[tuple[str, str]]:
    """(repositoryUniqueId, documentUniqueId) of each DocumentRequest of a retrieve request."""
    return [
        (
            (element.findtext(xdsb("RepositoryUniqueId")) or "").strip(),
            (element.findtext(xdsb("DocumentUniqueId")) or "").strip(),
        )
        for element in request.iter(xdsb("DocumentRequest"))
    ]
