from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from schemas import vocabulary as v
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import xdsb, xop
from tests.conformance.nist import messages
from tests.conformance.nist.corpus import transaction_of
from tests.conformance.nist.prepare import IdAllocator, SubmissionOptions
from tests.conformance.nist.testplan import DocumentFile

PATIENT = "15838510075^^^&2.16.578.1.12.4.1.4.1&ISO"


def test_provide_and_register_sends_one_part_per_document_with_its_mime_type(
    testkit: Path,
) -> None:
    """11983 submit_no_metadata names Document01 with no DocumentEntry for it: the part is still
    sent (octet-stream); 12360 sends its text with the DocumentEntry's odd mimeType."""
    step = transaction_of(testkit, "12360", "submit", "submit")
    options = SubmissionOptions(patient_id=PATIENT, assign_uuids=True, scope="12360")
    prepared = messages.submission(step, options, IdAllocator())
    request = messages.provide_and_register(prepared, step.documents)
    assert request.payload.tag == xdsb("ProvideAndRegisterDocumentSetRequest")
    submission, document = list(request.payload)
    assert submission is prepared.payload
    entry_uuid = prepared.assignments.uuids["Document01"]
    assert document.get("id") == entry_uuid
    include = document.find(xop("Include"))
    assert include is not None
    assert request.attachments is not None
    (part,) = request.attachments
    assert include.get("href") == f"cid:{part.content_id}"
    assert part.content_type == "text/goofy"
    unique_id = prepared.assignments.unique_ids["Document01"]
    sent = request.documents[unique_id]
    assert sent.data == (testkit / "12360" / "submit" / "my_document.txt").read_bytes()
    assert sent.mime_type == "text/goofy"

    orphan = transaction_of(testkit, "11983", "submit_no_metadata", "doc_metadata_missing")
    prepared = messages.submission(orphan, options, IdAllocator())
    request = messages.provide_and_register(prepared, orphan.documents)
    assert request.attachments is not None
    assert [p.content_type for p in request.attachments] == ["application/octet-stream"]
    assert request.documents == {}


def test_a_document_file_that_cannot_be_read(testkit: Path, tmp_path: Path) -> None:
    step = transaction_of(testkit, "12360", "submit", "submit")
    prepared = messages.submission(step, SubmissionOptions(patient_id=PATIENT), IdAllocator())
    missing = (DocumentFile("Document01", tmp_path / "gone.txt"),)
    with pytest.raises(messages.RequestError, match="cannot read Document Document01"):
        messages.provide_and_register(prepared, missing)


def test_nothing_is_sent_with_placeholders_nobody_filled(testkit: Path) -> None:
    submit = transaction_of(testkit, "11997", "submit", "submit")
    options = SubmissionOptions(placeholders={"$patientid$": PATIENT})
    with pytest.raises(
        messages.RequestError, match=r"placeholders nobody filled: \$altpatientid\$"
    ):
        messages.submission(submit, options, IdAllocator())
    query = transaction_of(testkit, "11990", "eval", "by_uid")
    with pytest.raises(messages.RequestError, match=r"\$ssuid\$"):
        messages.stored_query(query, {})
    retrieve = transaction_of(testkit, "12029", "retrieve", "retrieve")
    with pytest.raises(messages.RequestError, match=r"\$docuid1\$, \$repuid\$"):
        messages.retrieve(retrieve, {})


def test_a_step_without_a_readable_metadata_file(testkit: Path, tmp_path: Path) -> None:
    query = transaction_of(testkit, "11990", "eval", "by_uid")
    with pytest.raises(messages.RequestError, match="cannot read"):
        messages.stored_query(replace(query, metadata_file=tmp_path / "gone.xml"), {})
    with pytest.raises(messages.RequestError, match="names no MetadataFile"):
        messages.stored_query(replace(query, metadata_file=None), {})


def test_a_stored_query_with_its_home_and_values(testkit: Path) -> None:
    query = transaction_of(testkit, "11990", "eval", "by_uid")
    home = "urn:oid:2.16.578.1.12.4.5.100.1"
    request = messages.stored_query(replace(query, home_community_id=home), {"$ssuid$": "2.25.7"})
    (adhoc,) = request.payload.iter(rim("AdhocQuery"))
    assert adhoc.get("home") == home
    assert [value.text for value in adhoc.iter(rim("Value"))] == ["'2.25.7'"]
    assert request.input_metadata is request.payload


def test_the_documents_a_retrieve_asks_for(testkit: Path) -> None:
    retrieve = transaction_of(testkit, "12029", "retrieve", "retrieve")
    request = messages.retrieve(retrieve, {"$repuid$": "1.2.3", "$docuid1$": "2.25.9"})
    assert messages.document_requests(request.payload) == [("1.2.3", "2.25.9")]
    assert request.payload.tag == f"{{{v.NS_XDSB}}}RetrieveDocumentSetRequest"
