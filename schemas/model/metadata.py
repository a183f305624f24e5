"""The XDS metadata objects: DocumentEntry, SubmissionSet, Folder, Association, Author.

Plain frozen values (ITI TF-3 4.2.3). They hold what the wire held, typed; rules about what is
required live in `schemas.validation`, and registry behaviour lives in the registry service.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemas import vocabulary as v
from schemas.model.common import Code, DocumentEntryType, RegistryObjectBase, Slot
from schemas.model.hl7v2 import Cx, Timestamp, Xcn, Xon, Xtn


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    """An author classification: person, institutions, roles, specialties, telecom."""

    person: Xcn | None = None
    institutions: tuple[Xon, ...] = ()
    roles: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    telecommunications: tuple[Xtn, ...] = ()
    extra_slots: tuple[Slot, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentEntry(RegistryObjectBase):
    """XDSDocumentEntry: the metadata of one document (stable or on-demand)."""

    entry_type: DocumentEntryType = DocumentEntryType.STABLE
    unique_id: str = ""
    patient_id: Cx | None = None
    mime_type: str = ""
    class_code: Code | None = None
    type_code: Code | None = None
    format_code: Code | None = None
    healthcare_facility_type_code: Code | None = None
    practice_setting_code: Code | None = None
    confidentiality_codes: tuple[Code, ...] = ()
    event_codes: tuple[Code, ...] = ()
    authors: tuple[Author, ...] = ()
    creation_time: Timestamp | None = None
    service_start_time: Timestamp | None = None
    service_stop_time: Timestamp | None = None
    hash: str | None = None
    size: int | None = None
    repository_unique_id: str | None = None
    uri: str | None = None
    language_code: str | None = None
    source_patient_id: Cx | None = None
    source_patient_info: tuple[str, ...] = ()
    legal_authenticator: Xcn | None = None
    reference_ids: tuple[Cx, ...] = ()
    document_availability: str | None = None
    limited_metadata: bool = False

    @property
    def is_on_demand(self) -> bool:
        return self.entry_type is DocumentEntryType.ON_DEMAND


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionSet(RegistryObjectBase):
    """XDSSubmissionSet: one submission's envelope."""

    unique_id: str = ""
    source_id: str = ""
    patient_id: Cx | None = None
    submission_time: Timestamp | None = None
    content_type_code: Code | None = None
    authors: tuple[Author, ...] = ()
    intended_recipients: tuple[str, ...] = ()
    limited_metadata: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Folder(RegistryObjectBase):
    """XDSFolder: a named group of documents of one patient."""

    unique_id: str = ""
    patient_id: Cx | None = None
    codes: tuple[Code, ...] = ()
    last_update_time: Timestamp | None = None
    limited_metadata: bool = False


class AssociationType(StrEnum):
    HAS_MEMBER = v.ASSOC_HAS_MEMBER
    REPLACE = v.ASSOC_REPLACE
    APPEND = v.ASSOC_APPEND
    TRANSFORM = v.ASSOC_TRANSFORM
    TRANSFORM_AND_REPLACE = v.ASSOC_TRANSFORM_REPLACE
    SIGNS = v.ASSOC_SIGNS
    IS_SNAPSHOT_OF = v.ASSOC_SNAPSHOT_OF
    UPDATE_AVAILABILITY_STATUS = v.ASSOC_UPDATE_AVAILABILITY_STATUS
    SUBMIT_ASSOCIATION = v.ASSOC_SUBMIT_ASSOCIATION

    @property
    def short_name(self) -> str:
        return self.value.rsplit(":", 1)[-1]

    @property
    def is_document_relationship(self) -> bool:
        return self in DOCUMENT_RELATIONSHIPS

    @property
    def replaces_target(self) -> bool:
        return self in (AssociationType.REPLACE, AssociationType.TRANSFORM_AND_REPLACE)


DOCUMENT_RELATIONSHIPS = frozenset(
    {
        AssociationType.REPLACE,
        AssociationType.APPEND,
        AssociationType.TRANSFORM,
        AssociationType.TRANSFORM_AND_REPLACE,
        AssociationType.SIGNS,
        AssociationType.IS_SNAPSHOT_OF,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Association(RegistryObjectBase):
    """An Association between two registry objects.

    `association_type` keeps the wire string when it is not one XDS defines, so a validator can
    name it; `kind` is the typed value when it is.
    """

    association_type: str
    source: str
    target: str
    submission_set_status: str | None = None
    previous_version: str | None = None
    original_status: str | None = None
    new_status: str | None = None
    association_propagation: str | None = None
    documentation: Code | None = None

    @property
    def kind(self) -> AssociationType | None:
        try:
            return AssociationType(self.association_type)
        except ValueError:
            return None
