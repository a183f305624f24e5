"""Valid XDS submissions as ebRIM objects, and small mutations of them, for tests.

`valid_submission()` is a Register (ITI-42) RegistryObjectList that passes every rule of every
profile, Norwegian ones included: one synthetic patient (Tenor, month + 80), Volven codes, HPR and
organisation numbers. Tests break one thing at a time with the `with_*`/`without_*` helpers and
`replace_object`, all of which return new frozen values.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace

from schemas import vocabulary as v
from schemas.ebrim.rim import (
    RimClassification,
    RimExternalIdentifier,
    RimKind,
    RimObject,
    RimObjectList,
    RimSlot,
)
from schemas.model.common import international
from schemas.norway import oids

PATIENT_NIN = "12838512311"  # synthetic: 12.03.1985, month + 80, valid check digits
PATIENT_ID = f"{PATIENT_NIN}^^^&{oids.FODSELSNUMMER}&ISO"
OTHER_PATIENT_ID = f"01818545629^^^&{oids.FODSELSNUMMER}&ISO"  # synthetic, 01.01.1985
SOURCE_ID = "2.16.578.1.12.4.5.100.1.2"
REPOSITORY_ID = "2.16.578.1.12.4.5.100.1.1.2"
UNIQUE_ID_ROOT = "2.999.47"  # the X.667 example arc
AUTHOR_PERSON = f"565501872^VITS^GRØNN^^^^^^&{oids.HPR_NUMMER}&ISO"
AUTHOR_INSTITUTION = f"OSLO UNIVERSITETSSYKEHUS HF^^^^^&{oids.ENHETSREGISTERET}&ISO^^^^993467049"
SHA1_OF_NOTHING = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


def uuid_for(name: str) -> str:
    """A stable urn:uuid per name, so tests can refer to objects by what they are."""
    return f"{v.UUID_PREFIX}{uuid.uuid5(uuid.NAMESPACE_URL, 'dokdeling-test:' + name)}"


def unique_id(n: int) -> str:
    return f"{UNIQUE_ID_ROOT}.{n}"


def slot(name: str, *values: str) -> RimSlot:
    return RimSlot(name, values)


def code(
    owner: str, scheme: str, value: str, coding_scheme: str, display: str
) -> RimClassification:
    return RimClassification(
        id=uuid_for(f"{owner}/{scheme}/{value}"),
        classified_object=owner,
        scheme=scheme,
        node_representation=value,
        name=international(display),
        slots=(slot(v.SLOT_CODING_SCHEME, coding_scheme),),
    )


def identifier(owner: str, scheme: str, value: str) -> RimExternalIdentifier:
    return RimExternalIdentifier(
        id=uuid_for(f"{owner}/{scheme}"), registry_object=owner, scheme=scheme, value=value
    )


def author(owner: str, scheme: str, *slots: RimSlot) -> RimClassification:
    return RimClassification(
        id=uuid_for(f"{owner}/author/{len(slots)}"),
        classified_object=owner,
        scheme=scheme,
        node_representation="",
        slots=slots
        or (
            slot(v.SLOT_AUTHOR_PERSON, AUTHOR_PERSON),
            slot(v.SLOT_AUTHOR_INSTITUTION, AUTHOR_INSTITUTION),
            slot(v.SLOT_AUTHOR_ROLE, "Utskrivende lege"),
            slot(v.SLOT_AUTHOR_SPECIALTY, "Indremedisin"),
            slot(v.SLOT_AUTHOR_TELECOMMUNICATION, "^^Internet^lege@example.org"),
        ),
    )


def document_entry(
    entry_id: str = uuid_for("document-1"),
    *,
    number: int = 1,
    patient_id: str = PATIENT_ID,
    class_code: str = "A00-1",
    type_code: str = "A03-2",
) -> RimObject:
    """A stable DocumentEntry for an epikrise, with the attributes the repository adds."""
    return RimObject(
        kind=RimKind.EXTRINSIC_OBJECT,
        id=entry_id,
        object_type=v.OBJECT_TYPE_STABLE_DOCUMENT,
        mime_type="application/pdf",
        name=international("Epikrise"),
        slots=(
            slot(v.SLOT_CREATION_TIME, "20250206141356"),
            slot(v.SLOT_LANGUAGE_CODE, "nb-NO"),
            slot(v.SLOT_SERVICE_START_TIME, "20250107151403"),
            slot(v.SLOT_SERVICE_STOP_TIME, "20250122151403"),
            slot(v.SLOT_SOURCE_PATIENT_ID, patient_id),
            slot(v.SLOT_SOURCE_PATIENT_INFO, f"PID-3|{patient_id}", "PID-7|19850312", "PID-8|F"),
            slot(v.SLOT_LEGAL_AUTHENTICATOR, AUTHOR_PERSON),
            slot(v.SLOT_HASH, SHA1_OF_NOTHING),
            slot(v.SLOT_SIZE, "80574"),
            slot(v.SLOT_REPOSITORY_UNIQUE_ID, REPOSITORY_ID),
        ),
        classifications=(
            author(entry_id, v.DE_AUTHOR),
            code(entry_id, v.DE_CLASS_CODE, class_code, oids.DOKUMENTTYPE, "Epikriser"),
            code(entry_id, v.DE_TYPE_CODE, type_code, oids.DOKUMENTTYPE, "Epikrise"),
            code(entry_id, v.DE_CONFIDENTIALITY_CODE, "N", oids.SPERRING_OG_NEKTING, "Normal"),
            code(
                entry_id,
                v.DE_FORMAT_CODE,
                "urn:ihe:iti:xds:2017:mimeTypeSufficient",
                oids.IHE_FORMAT_CODES,
                "mimeType Sufficient",
            ),
            code(
                entry_id,
                v.DE_HEALTHCARE_FACILITY_TYPE_CODE,
                "86.101",
                oids.HELSETJENESTEENHET,
                "Alminnelige somatiske sykehus",
            ),
            code(entry_id, v.DE_PRACTICE_SETTING_CODE, "1", oids.TJENESTETYPE, "Pleietjenester"),
        ),
        external_identifiers=(
            identifier(entry_id, v.DE_PATIENT_ID, patient_id),
            identifier(entry_id, v.DE_UNIQUE_ID, unique_id(100 + number)),
        ),
    )


def submission_set(
    set_id: str = uuid_for("submission-set"), *, patient_id: str = PATIENT_ID
) -> RimObject:
    return RimObject(
        kind=RimKind.REGISTRY_PACKAGE,
        id=set_id,
        object_type=v.OBJECT_TYPE_REGISTRY_PACKAGE,
        name=international("Epikrise etter innleggelse"),
        slots=(slot(v.SLOT_SUBMISSION_TIME, "20250206141400"),),
        classifications=(
            RimClassification(
                id=uuid_for(f"{set_id}/node"),
                classified_object=set_id,
                node=v.SS_CLASSIFICATION_NODE,
            ),
            author(set_id, v.SS_AUTHOR),
            code(set_id, v.SS_CONTENT_TYPE_CODE, "A00-1", oids.DOKUMENTTYPE, "Epikriser"),
        ),
        external_identifiers=(
            identifier(set_id, v.SS_PATIENT_ID, patient_id),
            identifier(set_id, v.SS_UNIQUE_ID, unique_id(1)),
            identifier(set_id, v.SS_SOURCE_ID, SOURCE_ID),
        ),
    )


def folder(folder_id: str = uuid_for("folder"), *, patient_id: str = PATIENT_ID) -> RimObject:
    return RimObject(
        kind=RimKind.REGISTRY_PACKAGE,
        id=folder_id,
        object_type=v.OBJECT_TYPE_REGISTRY_PACKAGE,
        name=international("Innleggelse februar 2025"),
        classifications=(
            RimClassification(
                id=uuid_for(f"{folder_id}/node"),
                classified_object=folder_id,
                node=v.FOLDER_CLASSIFICATION_NODE,
            ),
            code(folder_id, v.FOLDER_CODE_LIST, "A00-1", oids.DOKUMENTTYPE, "Epikriser"),
        ),
        external_identifiers=(
            identifier(folder_id, v.FOLDER_PATIENT_ID, patient_id),
            identifier(folder_id, v.FOLDER_UNIQUE_ID, unique_id(2)),
        ),
    )


def association(
    association_type: str, source: str, target: str, *slots: RimSlot, name: str = ""
) -> RimObject:
    return RimObject(
        kind=RimKind.ASSOCIATION,
        id=uuid_for(name or f"{association_type}/{source}/{target}"),
        object_type=v.OBJECT_TYPE_ASSOCIATION,
        association_type=association_type,
        source_object=source,
        target_object=target,
        slots=slots,
    )


def has_member(source: str, target: str, status: str | None = None) -> RimObject:
    slots = () if status is None else (slot(v.SLOT_SUBMISSION_SET_STATUS, status),)
    return association(v.ASSOC_HAS_MEMBER, source, target, *slots)


def valid_submission(documents: int = 1, *, with_folder: bool = False) -> RimObjectList:
    """A SubmissionSet with `documents` DocumentEntries (and a Folder holding the first)."""
    ss = submission_set()
    entries = [document_entry(uuid_for(f"document-{n}"), number=n) for n in range(1, documents + 1)]
    objects: list[RimObject] = [ss, *entries]
    objects += [has_member(ss.id, e.id, v.SUBMISSION_SET_STATUS_ORIGINAL) for e in entries]
    if with_folder:
        f = folder()
        folder_member = has_member(f.id, entries[0].id)
        objects += [f, has_member(ss.id, f.id), folder_member, has_member(ss.id, folder_member.id)]
    return RimObjectList(objects=tuple(objects))


def update_submission(previous_version: str = "1") -> RimObjectList:
    """An ITI-57 update: a new version (same lid) of a registered DocumentEntry."""
    ss = submission_set()
    entry = replace(
        document_entry(uuid_for("document-1-v2")),
        lid=uuid_for("document-1"),
        version_name=previous_version,
    )
    member = association(
        v.ASSOC_HAS_MEMBER,
        ss.id,
        entry.id,
        slot(v.SLOT_SUBMISSION_SET_STATUS, v.SUBMISSION_SET_STATUS_ORIGINAL),
        slot(v.SLOT_PREVIOUS_VERSION, previous_version),
    )
    return RimObjectList(objects=(ss, entry, member))


# ------------------------------------------------------------------------------ mutations


def object_with_id(objects: RimObjectList, object_id: str) -> RimObject:
    return next(o for o in objects.objects if o.id == object_id)


def replace_object(
    objects: RimObjectList, object_id: str, change: Callable[[RimObject], RimObject]
) -> RimObjectList:
    """The list with the object `object_id` replaced by `change(object)`."""
    changed = tuple(change(o) if o.id == object_id else o for o in objects.objects)
    return replace(objects, objects=changed)


def with_objects(objects: RimObjectList, *extra: RimObject) -> RimObjectList:
    return replace(objects, objects=(*objects.objects, *extra))


def without_objects(objects: RimObjectList, *object_ids: str) -> RimObjectList:
    return replace(objects, objects=tuple(o for o in objects.objects if o.id not in object_ids))


def without_slot(obj: RimObject, name: str) -> RimObject:
    return replace(obj, slots=tuple(s for s in obj.slots if s.name != name))


def with_slot(obj: RimObject, name: str, *values: str) -> RimObject:
    """`obj` with the slot `name` holding `values` (replacing any slot of that name)."""
    return replace(obj, slots=(*without_slot(obj, name).slots, slot(name, *values)))


def without_classifications(obj: RimObject, scheme: str) -> RimObject:
    return replace(obj, classifications=tuple(c for c in obj.classifications if c.scheme != scheme))


def with_classifications(obj: RimObject, *added: RimClassification) -> RimObject:
    return replace(obj, classifications=(*obj.classifications, *added))


def change_classifications(
    obj: RimObject, scheme: str, change: Callable[[RimClassification], RimClassification]
) -> RimObject:
    changed = tuple(change(c) if c.scheme == scheme else c for c in obj.classifications)
    return replace(obj, classifications=changed)


def without_external_identifier(obj: RimObject, scheme: str) -> RimObject:
    kept = tuple(e for e in obj.external_identifiers if e.scheme != scheme)
    return replace(obj, external_identifiers=kept)


def with_external_identifier(obj: RimObject, scheme: str, value: str) -> RimObject:
    """`obj` whose ExternalIdentifier `scheme` has `value` (added if it had none)."""
    kept = without_external_identifier(obj, scheme).external_identifiers
    return replace(obj, external_identifiers=(*kept, identifier(obj.id, scheme, value)))


def dropping_slot(name: str) -> Callable[[RimObject], RimObject]:
    """A mutation that removes the slot `name`, for `replace_object` and parametrised tests."""
    return lambda obj: without_slot(obj, name)


def dropping_classifications(scheme: str) -> Callable[[RimObject], RimObject]:
    return lambda obj: without_classifications(obj, scheme)


def dropping_external_identifier(scheme: str) -> Callable[[RimObject], RimObject]:
    return lambda obj: without_external_identifier(obj, scheme)


def in_every(
    objects: RimObjectList, kinds: Iterable[RimKind], change: Callable[[RimObject], RimObject]
) -> RimObjectList:
    kinds = frozenset(kinds)
    return replace(
        objects, objects=tuple(change(o) if o.kind in kinds else o for o in objects.objects)
    )


def with_confidentiality(
    objects: RimObjectList, document: str, code: str, display: str
) -> RimObjectList:
    """`objects` with the DocumentEntry `document` carrying confidentiality `code` (Volven 9603)."""

    def recode(classification: RimClassification) -> RimClassification:
        return replace(classification, node_representation=code, name=international(display))

    return replace_object(
        objects,
        document,
        lambda entry: change_classifications(entry, v.DE_CONFIDENTIALITY_CODE, recode),
    )
