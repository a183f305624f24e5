"""Real submissions end to end: codec, validation (ihe-strict), registration (dcm4chee samples).

dcm4chee's RegisterDocumentSetTest: ResubmitInitialDoc succeeds; ResubmitWrongHash (same
DocumentEntry uniqueId, other hash) fails with XDSNonIdenticalHash; with the original hash it is an
identical resubmission and succeeds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from registry.entries import ObjectKind
from registry.services import RegistryOptions, feed_patient, register_document_set
from registry.storage import SqlRegistryStore
from schemas.ebrim.submit import read_submit_objects_request, submission_from_rim
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import Cx, XdsMetadata
from schemas.validation import IHE_STRICT, Transaction, validate_submission
from schemas.xml import parse_xml
from tests.registry.lookups import error_codes, folder_contents, kinds

SAMPLES = Path("samples/dcm4chee-xds2-registry-ws")
SAMPLE_PATIENT = Cx.parse("test1234_1^^^&1.2.3.45.4.3.2.1&ISO")


def _validated(conformance: Path, name: str) -> XdsMetadata:
    payload = parse_xml((conformance / SAMPLES / name).read_bytes())
    submission = read_submit_objects_request(payload)
    validate_submission(submission.object_list, Transaction.REGISTER, IHE_STRICT).raise_if_invalid()
    return submission_from_rim(submission).metadata


@pytest.fixture
def fed(store: SqlRegistryStore, options: RegistryOptions) -> SqlRegistryStore:
    feed_patient(store, SAMPLE_PATIENT, options=options)
    return store


def test_folder_with_document(
    fed: SqlRegistryStore, options: RegistryOptions, conformance: Path
) -> None:
    metadata = _validated(conformance, "CreateFolderWithDocument.xml")

    outcome = register_document_set(fed, metadata, options=options)

    (folder,) = outcome.stored.folders
    contents = folder_contents(fed, options, folder.entry_uuid)
    assert kinds(contents) == {
        ObjectKind.FOLDER: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 1,
    }


def test_resubmission_with_a_wrong_hash_and_with_the_right_one(
    fed: SqlRegistryStore, options: RegistryOptions, conformance: Path
) -> None:
    initial = _validated(conformance, "ResubmitInitialDoc.xml")
    register_document_set(fed, initial, options=options)
    wrong = _validated(conformance, "ResubmitWrongHash.xml")

    with pytest.raises(XdsFailure) as failure:
        register_document_set(fed, wrong, options=options)
    assert error_codes(failure) == [XdsErrorCode.NON_IDENTICAL_HASH]

    (entry,) = wrong.document_entries
    right_hash = dataclasses.replace(entry, hash=initial.document_entries[0].hash)
    outcome = register_document_set(
        fed, dataclasses.replace(wrong, document_entries=(right_hash,)), options=options
    )
    assert outcome.resubmitted == {entry.entry_uuid: initial.document_entries[0].entry_uuid}
