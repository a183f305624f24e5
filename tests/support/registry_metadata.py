"""Realistic XDS metadata for registry tests: a small factory of submissions.

Two flavours: Norwegian (synthetic fødselsnummer, Volven codes, HPR authors) and NIST (the
`SELF-5`-style patient ids and the code values of the NIST testkit, which need a patient feed).
Objects use symbolic ids (`Document01`) like real submissions; uniqueIds are fresh OIDs.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from schemas import vocabulary as v
from schemas.model import (
    Association,
    Author,
    Code,
    Cx,
    DocumentEntry,
    Folder,
    RegistryObjectBase,
    Slot,
    SubmissionSet,
    Timestamp,
    Xcn,
    XdsMetadata,
    Xon,
    international,
)

# Synthetic fødselsnumre (month + 80, valid check digits): never real people.
NORWEGIAN_PATIENT = Cx.of("12838540056", "2.16.578.1.12.4.1.4.1")
OTHER_NORWEGIAN_PATIENT = Cx.of("01919040048", "2.16.578.1.12.4.1.4.1")
NIST_AUTHORITY = "1.3.6.1.4.1.21367.2005.3.7"
NIST_PATIENT = Cx.of("SELF-5", NIST_AUTHORITY)
OTHER_NIST_PATIENT = Cx.of("SELF-6", NIST_AUTHORITY)


def fresh_oid() -> str:
    return f"2.25.{uuid.uuid4().int}"


def sha1_of(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Flavour:
    """The code values a flavour uses."""

    class_code: Code
    type_code: Code
    format_code: Code
    healthcare_facility_type_code: Code
    practice_setting_code: Code
    confidentiality_code: Code
    content_type_code: Code
    folder_code: Code
    author: Author
    language: str


NORWEGIAN = Flavour(
    class_code=Code("A00-1", "2.16.578.1.12.4.1.1.9602", international("Epikriser")),
    type_code=Code("A03-2", "2.16.578.1.12.4.1.1.9602", international("Epikrise")),
    format_code=Code("urn:no:ehelse:document:pdf", "1.3.6.1.4.1.19376.1.2.3"),
    healthcare_facility_type_code=Code("86.101", "2.16.578.1.12.4.1.1.1303"),
    practice_setting_code=Code("1", "2.16.578.1.12.4.1.1.8653"),
    confidentiality_code=Code("N", "2.16.840.1.113883.5.25", international("Normal")),
    content_type_code=Code("A00-1", "2.16.578.1.12.4.1.1.9602"),
    folder_code=Code("B00-1", "2.16.578.1.12.4.1.1.9602"),
    author=Author(
        person=Xcn.parse("565505933^Lege^Kari^^^^^^&2.16.578.1.12.4.1.4.4&ISO"),
        institutions=(Xon.parse("Testsykehuset HF^^^^^&2.16.578.1.12.4.1.4.101&ISO^^^^974633574"),),
        roles=("3^^^&2.16.578.1.12.4.1.1.9034&ISO",),
    ),
    language="nb-NO",
)

NIST = Flavour(
    class_code=Code("DEMO-Consult", "1.3.6.1.4.1.21367.100.1", international("Consultation")),
    type_code=Code("34108-1", "2.16.840.1.113883.6.1", international("Outpatient Note")),
    format_code=Code("CDAR2/IHE 1.0", "Connect-a-thon formatCodes"),
    healthcare_facility_type_code=Code("Outpatient", "Connect-a-thon healthcareFacilityTypeCodes"),
    practice_setting_code=Code("Dialysis", "Connect-a-thon practiceSettingCodes"),
    confidentiality_code=Code(
        "1.3.6.1.4.1.21367.2006.7.101", "Connect-a-thon confidentialityCodes"
    ),
    content_type_code=Code("Initial evaluation", "Connect-a-thon contentTypeCodes"),
    folder_code=Code("Referrals", "Connect-a-thon folderCodeList"),
    author=Author(person=Xcn.parse("^Smitty^Gerald^^^"), roles=("Attending",)),
    language="en-us",
)


@dataclass(slots=True)
class MetadataFactory:
    """Builds submissions for one patient in one flavour."""

    patient: Cx = NORWEGIAN_PATIENT
    flavour: Flavour = NORWEGIAN
    _association_numbers: itertools.count[int] = field(default_factory=itertools.count)

    def document_entry(self, entry_id: str = "Document01", **changes: Any) -> DocumentEntry:
        content = f"document {entry_id} {uuid.uuid4()}".encode()
        f = self.flavour
        entry = DocumentEntry(
            entry_uuid=entry_id,
            title=international(f"Dokument {entry_id}"),
            unique_id=fresh_oid(),
            patient_id=self.patient,
            mime_type="application/pdf",
            class_code=f.class_code,
            type_code=f.type_code,
            format_code=f.format_code,
            healthcare_facility_type_code=f.healthcare_facility_type_code,
            practice_setting_code=f.practice_setting_code,
            confidentiality_codes=(f.confidentiality_code,),
            authors=(f.author,),
            creation_time=Timestamp("20240612101500"),
            service_start_time=Timestamp("202406110800"),
            service_stop_time=Timestamp("20240612"),
            hash=sha1_of(content),
            size=len(content),
            repository_unique_id="2.16.578.1.12.4.5.100.1.2",
            language_code=f.language,
            source_patient_id=self.patient,
            extra_slots=(Slot("urn:no:nhn:test:origin", ("registry-tests",)),),
        )
        return replace(entry, **changes)

    def submission_set(self, entry_id: str = "SubmissionSet01", **changes: Any) -> SubmissionSet:
        submission_set = SubmissionSet(
            entry_uuid=entry_id,
            unique_id=fresh_oid(),
            source_id="2.16.578.1.12.4.5.100.1",
            patient_id=self.patient,
            submission_time=Timestamp("20240612103000"),
            content_type_code=self.flavour.content_type_code,
            authors=(self.flavour.author,),
        )
        return replace(submission_set, **changes)

    def folder(self, entry_id: str = "Folder01", **changes: Any) -> Folder:
        folder = Folder(
            entry_uuid=entry_id,
            title=international(f"Mappe {entry_id}"),
            unique_id=fresh_oid(),
            patient_id=self.patient,
            codes=(self.flavour.folder_code,),
            last_update_time=Timestamp("19990101"),
        )
        return replace(folder, **changes)

    def association(
        self, association_type: str, source: str, target: str, **changes: Any
    ) -> Association:
        association = Association(
            entry_uuid=f"Association{next(self._association_numbers):02d}",
            association_type=association_type,
            source=source,
            target=target,
        )
        return replace(association, **changes)

    def has_member(
        self, source: str, target: str, *, status: str | None = v.SUBMISSION_SET_STATUS_ORIGINAL
    ) -> Association:
        return self.association(v.ASSOC_HAS_MEMBER, source, target, submission_set_status=status)

    def folder_membership(self, folder: str, document: str) -> Association:
        return self.association(v.ASSOC_HAS_MEMBER, folder, document)


def submission(*objects: RegistryObjectBase | Iterable[RegistryObjectBase]) -> XdsMetadata:
    """An `XdsMetadata` of the given objects (nested iterables are flattened)."""
    flat: list[RegistryObjectBase] = []
    for item in objects:
        flat.extend([item] if isinstance(item, RegistryObjectBase) else item)
    return XdsMetadata(
        submission_sets=tuple(o for o in flat if isinstance(o, SubmissionSet)),
        document_entries=tuple(o for o in flat if isinstance(o, DocumentEntry)),
        folders=tuple(o for o in flat if isinstance(o, Folder)),
        associations=tuple(o for o in flat if isinstance(o, Association)),
    )


def single_document(
    factory: MetadataFactory, **document_changes: Any
) -> tuple[XdsMetadata, DocumentEntry]:
    """SubmissionSet01 + Document01 + their HasMember (NIST `single_doc`)."""
    entry = factory.document_entry(**document_changes)
    metadata = submission(
        factory.submission_set(), entry, factory.has_member("SubmissionSet01", entry.entry_uuid)
    )
    return metadata, entry


def document_in_new_folder(factory: MetadataFactory) -> XdsMetadata:
    """A Folder with one DocumentEntry: SS–DE, SS–Folder, Folder–DE and SS–(Folder–DE)."""
    folder_link = factory.folder_membership("Folder01", "Document01")
    return submission(
        factory.submission_set(),
        factory.document_entry(),
        factory.folder(),
        factory.has_member("SubmissionSet01", "Document01"),
        factory.has_member("SubmissionSet01", "Folder01", status=None),
        folder_link,
        factory.has_member("SubmissionSet01", folder_link.entry_uuid, status=None),
    )


def replacement_of(
    factory: MetadataFactory, target_uuid: str, association_type: str = v.ASSOC_REPLACE
) -> XdsMetadata:
    """A new DocumentEntry that replaces (or appends to, transforms…) a registered one."""
    return submission(
        factory.submission_set(),
        factory.document_entry(),
        factory.has_member("SubmissionSet01", "Document01"),
        factory.association(association_type, "Document01", target_uuid),
    )
