"""Synthetic documents as XDS metadata: one patient's documents, a SubmissionSet around them,
and the ITI-41 / ITI-42 messages that carry them.

A source sends one SubmissionSet per patient (several documents of one author institution, as an
EPJ sends what one stay produced). For ITI-41 the repository adds hash, size and
repositoryUniqueId; for ITI-42 (documents kept in the source's own repository) the entries carry
them already, computed from the bytes the source holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from dokdeling.synthetic.catalogue import DocumentKind
from dokdeling.synthetic.organisations import Organisation
from dokdeling.synthetic.pdf import text_pdf
from dokdeling.synthetic.people import Patient, Practitioner
from schemas import vocabulary as v
from schemas.model import (
    Association,
    Author,
    Code,
    Document,
    DocumentEntry,
    InlineContent,
    ProvideAndRegisterRequest,
    SubmissionSet,
    SubmitObjectsRequest,
    XdsMetadata,
)
from schemas.model.common import international
from schemas.model.hl7v2 import Timestamp
from schemas.norway import oids

PDF_MIME_TYPE = "application/pdf"
FORMAT_CODE = Code(
    code="urn:ihe:iti:xds:2017:mimeTypeSufficient",
    scheme=oids.IHE_FORMAT_CODES,
    display=international("mimeType Sufficient"),
)
NORMAL = Code(code="N", scheme=oids.SPERRING_OG_NEKTING, display=international("Normal"))
NORS = Code(code="NORS", scheme=oids.SPERRING_OG_NEKTING, display=international("Sperret"))
LANGUAGE = "nb-NO"


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticDocument:
    """One generated clinical document and what its metadata says about it."""

    kind: DocumentKind
    patient: Patient
    organisation: Organisation
    author: Practitioner
    title: str
    lines: tuple[str, ...]
    unique_id: str
    service_start: datetime
    service_stop: datetime
    created: datetime
    confidentiality: Code = NORMAL
    pad_to: int = 0
    """Grow the PDF to at least this many bytes (benchmarks); 0 keeps it small."""

    def pdf(self) -> bytes:
        """The document's bytes (built on every call)."""
        return text_pdf(self.title, self._text(), pad_to=self.pad_to)

    def _text(self) -> list[str]:
        p = self.patient
        return [
            f"{self.organisation.name}",
            f"Pasient: {p.name}, født {p.born:%d.%m.%Y}, fødselsnummer {p.national_id}",
            f"Periode: {self.service_start:%d.%m.%Y} - {self.service_stop:%d.%m.%Y}",
            "",
            *self.lines,
            "",
            f"{self.author.name}, {self.author.specialty.lower()} (HPR {self.author.hpr_number})",
            "Syntetiske testdata: personen og opplysningene er oppdiktet.",
        ]

    def entry(self, entry_id: str) -> DocumentEntry:
        """The DocumentEntry a source submits with ITI-41 (no hash, size or repository)."""
        author = Author(
            person=self.author.xcn,
            institutions=(self.organisation.xon,),
            roles=(self.author.role,),
            specialties=(self.author.specialty,),
        )
        return DocumentEntry(
            entry_uuid=entry_id,
            title=international(self.title),
            unique_id=self.unique_id,
            patient_id=self.patient.cx,
            source_patient_id=self.patient.cx,
            source_patient_info=self.patient.source_patient_info(),
            mime_type=PDF_MIME_TYPE,
            class_code=self.kind.class_code,
            type_code=self.kind.type_code,
            format_code=FORMAT_CODE,
            healthcare_facility_type_code=self.organisation.facility_type,
            practice_setting_code=self.kind.practice_setting,
            confidentiality_codes=(self.confidentiality,),
            authors=(author,),
            legal_authenticator=self.author.xcn,
            creation_time=Timestamp.of(self.created),
            service_start_time=Timestamp.of(self.service_start),
            service_stop_time=Timestamp.of(self.service_stop),
            language_code=LANGUAGE,
        )

    def registered_entry(self, entry_id: str, repository_unique_id: str) -> DocumentEntry:
        """The entry as a source with its own repository registers it (ITI-42)."""
        content = self.pdf()
        return replace(
            self.entry(entry_id),
            hash=hashlib.sha1(content, usedforsecurity=False).hexdigest(),
            size=len(content),
            repository_unique_id=repository_unique_id,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticSubmission:
    """One patient's documents from one organisation, submitted together."""

    documents: tuple[SyntheticDocument, ...]
    unique_id: str
    source_id: str
    submitted: datetime

    @property
    def patient(self) -> Patient:
        return self.documents[0].patient

    @property
    def organisation(self) -> Organisation:
        return self.documents[0].organisation

    @property
    def entry_ids(self) -> tuple[str, ...]:
        return tuple(f"Document{n:03d}" for n in range(1, len(self.documents) + 1))

    def submission_set(self) -> SubmissionSet:
        first = self.documents[0]
        author = Author(person=first.author.xcn, institutions=(self.organisation.xon,))
        return SubmissionSet(
            entry_uuid="SubmissionSet01",
            title=international(first.title),
            unique_id=self.unique_id,
            source_id=self.source_id,
            patient_id=self.patient.cx,
            submission_time=Timestamp.of(self.submitted),
            content_type_code=first.kind.class_code,
            authors=(author,),
        )

    def metadata(self, entries: Sequence[DocumentEntry]) -> XdsMetadata:
        members = tuple(
            Association(
                entry_uuid=f"HasMember{n:03d}",
                association_type=v.ASSOC_HAS_MEMBER,
                source="SubmissionSet01",
                target=entry.entry_uuid,
                submission_set_status=v.SUBMISSION_SET_STATUS_ORIGINAL,
            )
            for n, entry in enumerate(entries, start=1)
        )
        return XdsMetadata(
            submission_sets=(self.submission_set(),),
            document_entries=tuple(entries),
            associations=members,
        )

    def provide_request(self) -> ProvideAndRegisterRequest:
        """ITI-41: metadata and every document's bytes."""
        entries = [d.entry(i) for d, i in zip(self.documents, self.entry_ids, strict=True)]
        return ProvideAndRegisterRequest(
            submission=SubmitObjectsRequest(metadata=self.metadata(entries)),
            documents=tuple(
                Document(id=i, content=InlineContent(d.pdf()))
                for d, i in zip(self.documents, self.entry_ids, strict=True)
            ),
        )

    def register_request(self, repository_unique_id: str) -> SubmitObjectsRequest:
        """ITI-42: the metadata of documents kept in the repository `repository_unique_id`."""
        entries = [
            d.registered_entry(i, repository_unique_id)
            for d, i in zip(self.documents, self.entry_ids, strict=True)
        ]
        return SubmitObjectsRequest(metadata=self.metadata(entries))
