"""Judging a RetrieveDocumentSetResponse (ITI-43) against what the step asked for and what is known.

As NIST `RetrieveB.validate_retrieve`, for a step that does not expect Failure:
- one DocumentResponse per DocumentRequest, with the requested RepositoryUniqueId;
- a MIME part's content type, unless application/octet-stream, equals the DocumentResponse mimeType;
- `ReferenceMetadata` (a stored query's result): the DocumentEntry with that uniqueId is there, and
  its mimeType, `hash` and `size` equal the retrieved document's;
- the bytes equal the `ReferenceDocument` file (resolved against the section folder, as the toolkit
  does) and the document this run itself sent under that uniqueId, with its mimeType.
A ReferenceDocument that is not where the toolkit looks (12029 names `submit/my_document.pdf` but
sends `readme.txt`) is a note, and the document the run sent is the reference.

The retrieved documents are also offered to the step's assertions, as the toolkit does, in
response order: `$repuid_doc1$`, `$mimetype_doc1$`, `$hash_doc1$`, `$home_doc1$`, `$size_doc1$`, …
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.retrieve import parse_retrieve_document_set_response
from schemas.ebrim.rim import RimKind, RimObject, RimObjectList
from schemas.model.messages import DocumentContent, InlineContent, RetrievedDocument
from schemas.mtom import OCTET_STREAM
from schemas.soap import SoapFault, sender_fault
from tests.conformance.nist.client import ReceivedPart
from tests.conformance.nist.memory import SubmittedDocument
from tests.conformance.nist.report import CheckFailure


@dataclass(frozen=True, slots=True)
class _Part:
    """A received part as `DocumentContent`, keeping its MIME content type."""

    data: bytes
    content_type: str

    @property
    def size(self) -> int:
        return len(self.data)

    def open(self) -> BinaryIO:
        return InlineContent(self.data).open()


def _read(content: DocumentContent) -> bytes:
    with content.open() as stream:
        return stream.read()


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrievalEvidence:
    """What a retrieve step is judged against, besides its request."""

    requested: Sequence[tuple[str, str]]  # (repositoryUniqueId, documentUniqueId)
    reference_files: Mapping[str, Path] = field(default_factory=dict)  # by documentUniqueId
    reference_metadata: RimObjectList | None = None
    submitted: Callable[[str], SubmittedDocument | None] = lambda _: None


@dataclass(frozen=True, slots=True)
class RetrievalJudgement:
    failures: list[CheckFailure]
    notes: list[str]
    values: dict[str, str]


def retrieved_documents(
    payload: etree._Element, parts: Mapping[str, ReceivedPart]
) -> tuple[RetrievedDocument, ...]:
    """The DocumentResponses of a response; `SoapFault` when one cannot be read."""

    def attachment(content_id: str) -> DocumentContent:
        part = parts.get(content_id)
        if part is None:
            raise sender_fault(f"xop:Include names cid:{content_id}, which the response lacks")
        return _Part(part.data, part.content_type)

    return parse_retrieve_document_set_response(payload, attachment).documents


def document_values(documents: Sequence[RetrievedDocument]) -> dict[str, str]:
    values = {}
    for number, document in enumerate(documents, start=1):
        data = _read(document.content)
        values[f"$repuid_doc{number}$"] = document.repository_unique_id
        values[f"$mimetype_doc{number}$"] = document.mime_type
        values[f"$hash_doc{number}$"] = _sha1(data)
        values[f"$home_doc{number}$"] = document.home_community_id or ""
        values[f"$size_doc{number}$"] = str(len(data))
    return values


def _unique_id(entry: RimObject) -> str | None:
    identifiers = entry.external_identifiers_by_scheme(v.DE_UNIQUE_ID)
    return identifiers[0].value if identifiers else None


def _against_metadata(
    uid: str, document: RetrievedDocument, data: bytes, objects: RimObjectList
) -> list[str]:
    entry = next(
        (e for e in objects.of_kind(RimKind.EXTRINSIC_OBJECT) if _unique_id(e) == uid), None
    )
    if entry is None:
        return ["not in the ReferenceMetadata query result"]
    problems = []
    if entry.mime_type != document.mime_type:
        problems.append(f"mimeType {document.mime_type}, the query said {entry.mime_type}")
    hash_value = entry.first_slot_value(v.SLOT_HASH)
    if hash_value is not None and hash_value.lower() != _sha1(data):
        problems.append(f"hash {_sha1(data)}, the query said {hash_value}")
    size = entry.first_slot_value(v.SLOT_SIZE)
    if size is not None and size != str(len(data)):
        problems.append(f"size {len(data)}, the query said {size}")
    return problems


def _against_references(
    uid: str, document: RetrievedDocument, data: bytes, evidence: RetrievalEvidence
) -> tuple[list[str], list[str]]:
    problems, notes = [], []
    path = evidence.reference_files.get(uid)
    if path is not None and path.is_file():
        if path.read_bytes() != data:
            problems.append(f"bytes differ from the ReferenceDocument {path}")
    elif path is not None:
        notes.append(f"ReferenceDocument {path} does not exist; judged by the document sent")
    sent = evidence.submitted(uid)
    if sent is not None:
        if sent.data != data:
            problems.append("bytes differ from the document this run sent")
        if sent.mime_type != document.mime_type:
            problems.append(f"mimeType {document.mime_type}, it was sent as {sent.mime_type}")
    return problems, notes


def _part_type(document: RetrievedDocument) -> list[str]:
    if not isinstance(document.content, _Part):
        return []
    content_type = document.content.content_type.split(";", 1)[0].strip()
    if content_type in (OCTET_STREAM, document.mime_type):
        return []
    return [f"MIME part type {content_type} differs from mimeType {document.mime_type}"]


def judge_retrieval(
    payload: etree._Element, parts: Mapping[str, ReceivedPart], evidence: RetrievalEvidence
) -> RetrievalJudgement:
    try:
        documents = retrieved_documents(payload, parts)
    except SoapFault as exc:
        return RetrievalJudgement([CheckFailure("RetrieveResponse", exc.reason)], [], {})
    failures, notes = [], []
    if len(documents) != len(evidence.requested):
        detail = f"{len(documents)} DocumentResponses for {len(evidence.requested)} requested"
        failures.append(CheckFailure("RetrieveResponse", detail))
    by_uid = {document.document_unique_id: document for document in documents}
    for repository_uid, uid in evidence.requested:
        document = by_uid.get(uid)
        if document is None:
            failures.append(CheckFailure(f"Retrieve/{uid}", "no DocumentResponse"))
            continue
        data = _read(document.content)
        problems = _part_type(document)
        if document.repository_unique_id != repository_uid:
            problems.append(f"RepositoryUniqueId {document.repository_unique_id}")
        if evidence.reference_metadata is not None:
            problems += _against_metadata(uid, document, data, evidence.reference_metadata)
        reference_problems, reference_notes = _against_references(uid, document, data, evidence)
        failures += [CheckFailure(f"Retrieve/{uid}", p) for p in problems + reference_problems]
        notes += reference_notes
    return RetrievalJudgement(failures, notes, document_values(documents))
