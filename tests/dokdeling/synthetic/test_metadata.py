"""Generated metadata passes the default `norway` validation profile, for ITI-41 and ITI-42,
without a single finding; the documents are the PDFs the metadata describes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from dokdeling.synthetic import NUFA_MIX, GeneratorSettings, SyntheticData, SyntheticSubmission
from dokdeling.synthetic.metadata import NORS
from schemas.ebrim.transform import metadata_to_rim
from schemas.model import Code
from schemas.norway import oids
from schemas.validation import NORWAY, Transaction, validate_submission

REPOSITORY = "2.25.4711"


def _submissions() -> list[SyntheticSubmission]:
    data = SyntheticData(GeneratorSettings(now=datetime(2026, 1, 1, tzinfo=UTC), nors_share=0.1))
    return list(data.stream(400))


@pytest.fixture(scope="module")
def submissions() -> list[SyntheticSubmission]:
    return _submissions()


def test_the_sample_covers_every_kind_and_nors(submissions: list[SyntheticSubmission]) -> None:
    documents = [d for s in submissions for d in s.documents]
    assert {d.kind for d in documents} == {kind for kind, _ in NUFA_MIX}
    assert any(d.confidentiality == NORS for d in documents)


def test_provide_and_register_metadata_has_no_findings(
    submissions: list[SyntheticSubmission],
) -> None:
    for submission in submissions:
        metadata = submission.provide_request().submission.metadata
        report = validate_submission(
            metadata_to_rim(metadata), Transaction.PROVIDE_AND_REGISTER, NORWAY
        )
        assert report.findings == (), [f.message for f in report.findings]


def test_register_metadata_has_no_findings_and_describes_the_bytes(
    submissions: list[SyntheticSubmission],
) -> None:
    for submission in submissions[:40]:
        metadata = submission.register_request(REPOSITORY).metadata
        report = validate_submission(metadata_to_rim(metadata), Transaction.REGISTER, NORWAY)
        assert report.findings == (), [f.message for f in report.findings]
        for entry, document in zip(metadata.document_entries, submission.documents, strict=True):
            pdf = document.pdf()
            assert entry.hash == hashlib.sha1(pdf, usedforsecurity=False).hexdigest()
            assert entry.size == len(pdf)
            assert entry.repository_unique_id == REPOSITORY


def test_entries_carry_volven_codes_hpr_authors_and_the_organisation(
    submissions: list[SyntheticSubmission],
) -> None:
    submission = submissions[0]
    (entry, *_) = submission.provide_request().submission.metadata.document_entries
    document = submission.documents[0]
    assert entry.patient_id == document.patient.cx
    assert isinstance(entry.class_code, Code)
    assert entry.class_code.scheme == oids.DOKUMENTTYPE
    assert entry.type_code == document.kind.type_code
    (author,) = entry.authors
    assert author.person is not None
    assert author.person.assigning_authority.universal_id == oids.HPR_NUMMER
    assert author.institutions[0].organization_identifier == document.organisation.number
    assert entry.mime_type == "application/pdf"
