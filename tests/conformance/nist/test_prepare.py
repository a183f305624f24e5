from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.xml import parse_xml
from tests.conformance.nist.prepare import (
    Assignments,
    IdAllocator,
    SubmissionOptions,
    clean_params,
    placeholders_in,
    prepare_submission,
    substitute_placeholders,
)
from tests.conformance.nist.reader import read_testplan
from tests.conformance.nist.testplan import AssignedSection

PATIENT_ID = "15838512329^^^&2.16.578.1.12.4.1.4.1&ISO"
OTHER_PATIENT_ID = "02858045633^^^&2.16.578.1.12.4.1.4.1&ISO"
PATIENT_SCHEMES = {v.DE_PATIENT_ID, v.SS_PATIENT_ID, v.FOLDER_PATIENT_ID}
UNIQUE_ID_SCHEMES = {v.DE_UNIQUE_ID, v.SS_UNIQUE_ID, v.FOLDER_UNIQUE_ID}
REFERENCES = ("sourceObject", "targetObject", "classifiedObject", "registryObject")


def rim(tag: str) -> str:
    return f"{{{v.NS_RIM}}}{tag}"


def read(testkit: Path, name: str) -> etree._Element:
    return parse_xml((testkit / name).read_bytes())


def identifiers(request: etree._Element, schemes: set[str]) -> list[etree._Element]:
    return [
        e
        for e in request.iter(rim("ExternalIdentifier"))
        if e.get("identificationScheme") in schemes
    ]


# --------------------------------------------------------------------------- placeholders


def test_placeholders_are_substituted_in_attributes_and_texts() -> None:
    source = etree.fromstring(
        '<a x="$patientid$" y="$patientid$_$id$"><b>$id$ and $id10$</b><c>$other$</c></a>'
    )
    filled = substitute_placeholders(
        source, {"$patientid$": PATIENT_ID, "$id$": "one", "$id10$": "ten"}
    )
    assert filled.get("x") == PATIENT_ID
    assert filled.get("y") == f"{PATIENT_ID}_one"
    assert filled[0].text == "one and ten"
    assert placeholders_in(filled) == {"$other$"}
    assert placeholders_in(source) == {"$patientid$", "$id$", "$id10$", "$other$"}, "a copy"


def test_clean_params_drops_the_values_nobody_filled(testkit: Path) -> None:
    template = read(testkit, "_utilities/GetDocuments/XDS/query.xml")
    filled = substitute_placeholders(
        template, {"$id0$": "urn:uuid:5e3c3f1e-8d0c-4b83-9a5f-3d2b5a7c1e01"}
    )
    cleaned = clean_params(filled)
    slots = {
        slot.get("name"): [value.text for value in slot.iter(rim("Value"))]
        for slot in cleaned.iter(rim("Slot"))
    }
    assert slots == {v.PARAM_DE_ENTRY_UUID: ["('urn:uuid:5e3c3f1e-8d0c-4b83-9a5f-3d2b5a7c1e01')"]}


# --------------------------------------------------------------------------- ids


def test_a_stable_allocator_repeats_itself_and_a_fresh_one_does_not() -> None:
    stable, again, other = IdAllocator(run="a"), IdAllocator(run="a"), IdAllocator(run="b")
    assert stable.uuid("k") == again.uuid("k") != other.uuid("k")
    assert stable.uuid("k") != stable.uuid("l")
    assert stable.oid("k") == again.oid("k")
    fresh = IdAllocator()
    assert fresh.uuid("k") != fresh.uuid("k")
    assert fresh.uuid("k").startswith(v.UUID_PREFIX)
    oid = fresh.oid("k")
    assert oid.startswith("2.25.")
    assert len(oid) <= 64
    assert all(part.isdigit() for part in oid.split("."))


@pytest.fixture(scope="module")
def folder_submission(testkit: Path) -> tuple[etree._Element, Assignments]:
    """12346 doc_w_fol: a DocumentEntry in a Folder, with four HasMember associations."""
    prepared = prepare_submission(
        read(testkit, "12346/doc_w_fol/single_doc_w_fol.xml"),
        SubmissionOptions(
            placeholders={"$patientid$": OTHER_PATIENT_ID},
            patient_id=PATIENT_ID,
            assign_uuids=True,
            scope="12346/doc_w_fol",
        ),
        IdAllocator(run="prepare-test"),
    )
    return prepared.request, prepared.assignments


def test_assigned_uuids_replace_every_symbolic_id_and_reference(
    folder_submission: tuple[etree._Element, Assignments],
) -> None:
    request, assignments = folder_submission
    elements = list(request.iter(tag=etree.Element))
    ids = {e.get("id") for e in elements if e.get("id")}
    assert all(i.startswith(v.UUID_PREFIX) for i in ids if i)
    references = {e.get(name) for e in elements for name in REFERENCES if e.get(name)}
    assert references <= ids, "every reference resolves inside the submission"
    assert {"Document01", "SubmissionSet01", "Folder"} <= set(assignments.uuids)
    document = request.find(f".//{rim('ExtrinsicObject')}")
    assert document is not None
    assert document.get("id") == assignments.uuids["Document01"]


def test_the_patient_id_goes_into_every_patient_id_identifier(
    folder_submission: tuple[etree._Element, Assignments],
) -> None:
    request, assignments = folder_submission
    patient_ids = identifiers(request, PATIENT_SCHEMES)
    assert {e.get("identificationScheme") for e in patient_ids} == PATIENT_SCHEMES
    assert {e.get("value") for e in patient_ids} == {PATIENT_ID}
    assert dict(assignments.patient_ids) == {
        "Document01": PATIENT_ID,
        "SubmissionSet01": PATIENT_ID,
        "Folder": PATIENT_ID,
    }
    source_patient = request.find(f".//{rim('Slot')}[@name='{v.SLOT_SOURCE_PATIENT_ID}']")
    assert source_patient is not None
    assert "$patientid$" not in etree.tostring(source_patient).decode()


def test_fresh_unique_ids_are_oids_and_recorded(
    folder_submission: tuple[etree._Element, Assignments],
) -> None:
    request, assignments = folder_submission
    values = [e.get("value") for e in identifiers(request, UNIQUE_ID_SCHEMES)]
    assert len(values) == len(set(values)) == 3
    assert all(value and value.startswith("2.25.") for value in values)
    assert sorted(assignments.unique_ids.values()) == sorted(v for v in values if v)
    assert assignments.value(AssignedSection.UNIQUE_IDS, "Folder") in values
    assert assignments.value(AssignedSection.UUIDS, "Folder").startswith(v.UUID_PREFIX)
    assert assignments.value(AssignedSection.PATIENT_ID, "Folder") == PATIENT_ID
    with pytest.raises(KeyError):
        assignments.value(AssignedSection.UUIDS, "Document02")
    reports = assignments.reports()
    assert reports["Document01_uid"] == assignments.unique_ids["Document01"]
    assert reports["Folder_uuid"] == assignments.uuids["Folder"]


def test_a_replay_source_id_goes_into_the_submission_set(testkit: Path) -> None:
    source_id = "2.16.578.1.12.4.5.100.1.9"
    request = prepare_submission(
        read(testkit, "12346/single_doc/single_doc.xml"),
        SubmissionOptions(placeholders={"$patientid$": PATIENT_ID}, source_id=source_id),
        IdAllocator(),
    ).request
    (identifier,) = identifiers(request, {v.SS_SOURCE_ID})
    assert identifier.get("value") == source_id


def test_without_assign_uuids_and_patient_id_the_file_keeps_its_own(testkit: Path) -> None:
    prepared = prepare_submission(
        read(testkit, "11997/submit/single_doc.xml"),
        SubmissionOptions(
            placeholders={"$patientid$": PATIENT_ID, "$altpatientid$": OTHER_PATIENT_ID}
        ),
        IdAllocator(),
    )
    assert prepared.assignments.uuids == {}
    assert {"Document01", "SubmissionSet01"} <= {
        e.get("id") for e in prepared.request.iter(tag=etree.Element)
    }
    assert set(prepared.assignments.patient_ids.values()) == {PATIENT_ID, OTHER_PATIENT_ID}


def test_no_assign_uids_keeps_the_named_unique_id(testkit: Path) -> None:
    plan = read_testplan(testkit / "_testdata-registry/uid-test/submit/testplan.xml")
    transaction = plan.steps[0].transaction
    assert transaction is not None
    options = SubmissionOptions.for_step(
        transaction, placeholders={}, patient_id=PATIENT_ID, scope="uid-test"
    )
    assert options.keep_unique_ids == {"Document01"}
    assert options.patient_id == PATIENT_ID
    source = read(testkit, "_testdata-registry/uid-test/submit/metadata.xml")
    assignments = prepare_submission(source, options, IdAllocator()).assignments
    assert assignments.unique_ids["Document01"] == "urn:txt:bill:42.42.42"
    assert assignments.unique_ids["SubmissionSet01"].startswith("2.25.")

    untouched = prepare_submission(
        source, SubmissionOptions(assign_unique_ids=False), IdAllocator()
    ).assignments
    assert untouched.unique_ids["SubmissionSet01"] == "1.42.20140129130022.45"


def test_options_follow_the_testplan(testkit: Path) -> None:
    plan = read_testplan(testkit / "15806/resubmit/testplan.xml")
    transaction = plan.steps[0].transaction
    assert transaction is not None
    options = SubmissionOptions.for_step(
        transaction, placeholders={"$deid$": "x"}, patient_id=PATIENT_ID, scope="15806"
    )
    assert options.patient_id is None, "NoPatientId"
    assert options.assign_uuids
    assert options.placeholders == {"$deid$": "x"}


def test_a_pre_assigned_uuid_is_kept_and_still_referenced(testkit: Path) -> None:
    entry_uuid = "urn:uuid:8b3b2b7c-2f4f-4a59-9a3c-7f5d2f1c0a11"
    request = prepare_submission(
        read(testkit, "15806/resubmit/single_doc.xml"),
        SubmissionOptions(
            placeholders={"$deid$": entry_uuid, "$patientid$": PATIENT_ID}, assign_uuids=True
        ),
        IdAllocator(),
    ).request
    document = request.find(f".//{rim('ExtrinsicObject')}")
    assert document is not None
    assert document.get("id") == entry_uuid
    owners = {c.get("classifiedObject") for c in document.iter(rim("Classification"))}
    assert owners == {entry_uuid}
