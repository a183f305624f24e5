"""Fully populated XDS domain objects for tests (synthetic patient, Norwegian code systems)."""

from __future__ import annotations

import uuid

from schemas import vocabulary as v
from schemas.model import (
    Association,
    Author,
    AvailabilityStatus,
    Code,
    Cx,
    DocumentEntry,
    DocumentEntryType,
    Folder,
    LocalizedString,
    Slot,
    SubmissionSet,
    Timestamp,
    Xcn,
    Xon,
    Xtn,
    international,
)

NIN_AUTHORITY = "2.16.578.1.12.4.1.4.1"
PATIENT = Cx.of("15838510075", NIN_AUTHORITY)  # synthetic fødselsnummer
DOCUMENT_UUID = "urn:uuid:6f1b7a1e-2c4d-4a8e-9b1f-0c2d3e4f5a6b"
SUBMISSION_SET_UUID = "urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
FOLDER_UUID = "urn:uuid:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def author() -> Author:
    return Author(
        person=Xcn.parse("565505933^Lege^Kari^^^^^^&2.16.578.1.12.4.1.4.4&ISO"),
        institutions=(
            Xon.parse("Testsykehuset HF^^^^^&2.16.578.1.12.4.1.4.101&ISO^^^^974633574"),
            Xon.parse("Avdeling for test"),
        ),
        roles=("LE^^^&2.16.578.1.12.4.1.1.9060&ISO",),
        specialties=("1^^^&2.16.578.1.12.4.1.1.7426&ISO",),
        telecommunications=(Xtn.parse("^^Internet^kari.lege@example.org"),),
        extra_slots=(Slot("urn:no:nhn:author:hpr", ("565505933",)),),
    )


def document_entry() -> DocumentEntry:
    return DocumentEntry(
        entry_uuid=DOCUMENT_UUID,
        logical_id="urn:uuid:11111111-2222-4333-8444-555555555555",
        version="2",
        home_community_id="urn:oid:2.16.578.1.12.4.5.100.1.1",
        status=AvailabilityStatus.APPROVED,
        title=(LocalizedString("Epikrise", "nb-NO", "UTF-8"),),
        comments=international("Utskrivning etter innleggelse"),
        extra_slots=(Slot("urn:no:nhn:extra", ("a", "b"), "String"),),
        entry_type=DocumentEntryType.STABLE,
        unique_id="2.16.578.1.12.4.5.100.1.1.2.1",
        patient_id=PATIENT,
        mime_type="application/pdf",
        class_code=Code("A00-1", "2.16.578.1.12.4.1.1.9602", international("Epikrise")),
        type_code=Code("A01-2", "2.16.578.1.12.4.1.1.9602", international("Epikrise fra lege")),
        format_code=Code("urn:ihe:iti:xds:2017:mimeTypeSufficient", "1.3.6.1.4.1.19376.1.2.3"),
        healthcare_facility_type_code=Code("86.211", "2.16.578.1.12.4.1.1.1303"),
        practice_setting_code=Code("1", "2.16.578.1.12.4.1.1.7426", international("Allmenn")),
        confidentiality_codes=(
            Code("N", "2.16.840.1.113883.5.25", international("Normal")),
            Code("NORN_ANG", "2.16.578.1.12.4.1.1.9603"),
        ),
        event_codes=(
            Code("E1", "2.16.578.1.12.4.1.1.9999"),
            Code("E2", "2.16.578.1.12.4.1.1.9999"),
        ),
        authors=(author(), Author(person=Xcn.parse("^Hansen^Ola"))),
        creation_time=Timestamp("20250101120000"),
        service_start_time=Timestamp("202412301000"),
        service_stop_time=Timestamp("20241231"),
        hash="da39a3ee5e6b4b0d3255bfef95601890afd80709",
        size=1024,
        repository_unique_id="2.16.578.1.12.4.5.100.1.1.2",
        uri="https://example.org/doc/1",
        language_code="nb-NO",
        source_patient_id=PATIENT,
        source_patient_info=("PID-3|15838510075^^^&2.16.578.1.12.4.1.4.1&ISO", "PID-8|F"),
        legal_authenticator=Xcn.parse("565505933^Lege^Kari^^^^^^&2.16.578.1.12.4.1.4.4&ISO"),
        reference_ids=(
            Cx.parse("ref1^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession"),
            Cx.parse("ref2^^^&1.2.4&ISO^urn:ihe:iti:xds:2013:order"),
        ),
        document_availability=v.DOCUMENT_AVAILABILITY_ONLINE,
        limited_metadata=True,
    )


def submission_set() -> SubmissionSet:
    return SubmissionSet(
        entry_uuid=SUBMISSION_SET_UUID,
        status=AvailabilityStatus.APPROVED,
        title=international("Innsending"),
        comments=international("Fra testsykehuset"),
        extra_slots=(Slot("urn:no:nhn:batch", ("7",)),),
        unique_id="2.16.578.1.12.4.5.100.1.1.3.1",
        source_id="2.16.578.1.12.4.5.100.1.1.4",
        patient_id=PATIENT,
        submission_time=Timestamp("20250101120500"),
        content_type_code=Code("A00-1", "2.16.578.1.12.4.1.1.9602", international("Epikrise")),
        authors=(author(),),
        intended_recipients=("Fastlegen^^^^^^^^^&2.16.578.1.12.4.1.4.101&ISO|^^^^^^^^^^^^",),
        limited_metadata=True,
    )


def folder() -> Folder:
    return Folder(
        entry_uuid=FOLDER_UUID,
        status=AvailabilityStatus.APPROVED,
        title=international("Svangerskap"),
        unique_id="2.16.578.1.12.4.5.100.1.1.5.1",
        patient_id=PATIENT,
        codes=(Code("F1", "2.16.578.1.12.4.1.1.9999", international("Mappe")), Code("F2", "x")),
        last_update_time=Timestamp("20250102"),
        limited_metadata=True,
    )


def replacement() -> Association:
    """An RPLC association carrying every Association field XDS defines."""
    return Association(
        entry_uuid="urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        status=AvailabilityStatus.SUBMITTED,
        extra_slots=(Slot("urn:no:nhn:reason", ("korrigert",)),),
        association_type=v.ASSOC_REPLACE,
        source=DOCUMENT_UUID,
        target="urn:uuid:12345678-1234-4123-8123-123456789abc",
        submission_set_status=v.SUBMISSION_SET_STATUS_ORIGINAL,
        previous_version="1",
        original_status=v.STATUS_APPROVED,
        new_status=v.STATUS_DEPRECATED,
        association_propagation="no",
        documentation=Code("korrigert", "2.16.578.1.12.4.1.1.9999", international("Korrigert")),
    )


def has_member(source: str, target: str) -> Association:
    return Association(
        entry_uuid=v.UUID_PREFIX + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{source} {target}")),
        association_type=v.ASSOC_HAS_MEMBER,
        source=source,
        target=target,
        submission_set_status=v.SUBMISSION_SET_STATUS_ORIGINAL,
    )
