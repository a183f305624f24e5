from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.retrieve import build_retrieve_document_set_response
from schemas.ebrim.rim import RimObjectList, read_object_list
from schemas.errors import ResponseStatus
from schemas.model.messages import InlineContent, RetrievedDocument, RetrieveDocumentSetResponse
from schemas.mtom import OutgoingAttachments
from tests.conformance.nist.client import ReceivedPart
from tests.conformance.nist.memory import SubmittedDocument
from tests.conformance.nist.retrieval import RetrievalEvidence, judge_retrieval

REPOSITORY = "1.3.6.1.4.1.21367.13.40.216"
UID = "2.25.42"
DATA = b"Hei, dette er et notat.\n"


def response(*documents: tuple[str, bytes, str]) -> etree._Element:
    retrieved = tuple(
        RetrievedDocument(
            repository_unique_id=REPOSITORY,
            document_unique_id=uid,
            mime_type=mime_type,
            content=InlineContent(data),
        )
        for uid, data, mime_type in documents
    )
    status = ResponseStatus.SUCCESS
    return build_retrieve_document_set_response(
        RetrieveDocumentSetResponse(status=status, documents=retrieved)
    )


def metadata(mime_type: str, data: bytes) -> RimObjectList:
    sha1 = hashlib.sha1(data).hexdigest()
    xml = (
        f'<rim:RegistryObjectList xmlns:rim="{v.NS_RIM}">'
        f'<rim:ExtrinsicObject id="urn:uuid:d" mimeType="{mime_type}">'
        f'<rim:Slot name="hash"><rim:ValueList><rim:Value>{sha1.upper()}</rim:Value>'
        f'</rim:ValueList></rim:Slot><rim:Slot name="size"><rim:ValueList>'
        f"<rim:Value>{len(data)}</rim:Value></rim:ValueList></rim:Slot>"
        f'<rim:ExternalIdentifier identificationScheme="{v.DE_UNIQUE_ID}" value="{UID}"/>'
        "</rim:ExtrinsicObject></rim:RegistryObjectList>"
    )
    return read_object_list(etree.fromstring(xml))


def sent(uid: str) -> SubmittedDocument | None:
    return SubmittedDocument(DATA, "text/plain") if uid == UID else None


def evidence(
    *,
    requested: tuple[tuple[str, str], ...] = ((REPOSITORY, UID),),
    reference_files: dict[str, Path] | None = None,
    reference_metadata: RimObjectList | None = None,
) -> RetrievalEvidence:
    return RetrievalEvidence(
        requested=requested,
        reference_files=reference_files or {},
        reference_metadata=reference_metadata or metadata("text/plain", DATA),
        submitted=sent,
    )


def details(payload: etree._Element, given: RetrievalEvidence) -> list[str]:
    return [f.detail for f in judge_retrieval(payload, {}, given).failures]


def test_the_document_asked_for_as_it_was_sent_passes_and_gives_its_values() -> None:
    judgement = judge_retrieval(response((UID, DATA, "text/plain")), {}, evidence())
    assert judgement.failures == []
    assert judgement.values == {
        "$repuid_doc1$": REPOSITORY,
        "$mimetype_doc1$": "text/plain",
        "$hash_doc1$": hashlib.sha1(DATA).hexdigest(),
        "$home_doc1$": "",
        "$size_doc1$": str(len(DATA)),
    }


def test_missing_extra_and_misplaced_documents() -> None:
    assert details(response(), evidence()) == [
        "0 DocumentResponses for 1 requested",
        "no DocumentResponse",
    ]
    two = response((UID, DATA, "text/plain"), ("2.25.43", DATA, "text/plain"))
    assert details(two, evidence()) == ["2 DocumentResponses for 1 requested"]
    elsewhere = evidence(requested=(("1.2.3", UID),))
    assert details(response((UID, DATA, "text/plain")), elsewhere) == [
        f"RepositoryUniqueId {REPOSITORY}"
    ]


def test_the_document_is_judged_against_the_query_and_what_was_sent() -> None:
    changed = response((UID, b"other bytes", "text/plain"))
    assert details(changed, evidence()) == [
        f"hash {hashlib.sha1(b'other bytes').hexdigest()}, "
        f"the query said {hashlib.sha1(DATA).hexdigest().upper()}",
        f"size 11, the query said {len(DATA)}",
        "bytes differ from the document this run sent",
    ]
    retyped = response((UID, DATA, "text/xml"))
    assert details(retyped, evidence()) == [
        "mimeType text/xml, the query said text/plain",
        "mimeType text/xml, it was sent as text/plain",
    ]
    assert details(retyped, evidence(reference_metadata=RimObjectList())) == [
        "not in the ReferenceMetadata query result",
        "mimeType text/xml, it was sent as text/plain",
    ]


def test_a_reference_document_file(tmp_path: Path) -> None:
    same, other = tmp_path / "same.txt", tmp_path / "other.txt"
    same.write_bytes(DATA)
    other.write_bytes(b"other")
    payload = response((UID, DATA, "text/plain"))
    assert details(payload, evidence(reference_files={UID: same})) == []
    assert details(payload, evidence(reference_files={UID: other})) == [
        f"bytes differ from the ReferenceDocument {other}"
    ]
    absent = judge_retrieval(payload, {}, evidence(reference_files={UID: tmp_path / "no.pdf"}))
    assert absent.failures == []
    assert absent.notes == [
        f"ReferenceDocument {tmp_path / 'no.pdf'} does not exist; judged by the document sent"
    ]


def test_mtom_parts_and_their_content_types() -> None:
    for part_type, expected in (
        ("text/plain", []),
        ("application/octet-stream", []),
        ("image/png", ["MIME part type image/png differs from mimeType text/plain"]),
    ):
        attachments = OutgoingAttachments()
        retrieved = RetrievedDocument(
            repository_unique_id=REPOSITORY,
            document_unique_id=UID,
            mime_type="text/plain",
            content=InlineContent(DATA),
        )
        payload = build_retrieve_document_set_response(
            RetrieveDocumentSetResponse(status=ResponseStatus.SUCCESS, documents=(retrieved,)),
            attachments.attach,
        )
        (part,) = attachments.parts
        parts = {part.content_id: ReceivedPart(part_type, DATA)}
        assert [f.detail for f in judge_retrieval(payload, parts, evidence()).failures] == expected
    (unresolved,) = judge_retrieval(payload, {}, evidence()).failures
    assert unresolved.check == "RetrieveResponse"
    assert "which the response lacks" in unresolved.detail
