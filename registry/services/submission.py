"""Submission-wide rules of ITI-42 and ITI-57: one SubmissionSet, one patient, fresh ids.

Each function returns the `RegistryError`s it finds (empty when the rule holds); the services
collect them and fail the request with all of them at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from registry.entries import ObjectKind, RegistryEntry
from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode, XdsFailure
from schemas.model import Cx, DocumentEntry, Folder, SubmissionSet, XdsMetadata


def raise_if_any(errors: Iterable[RegistryError]) -> None:
    found = tuple(errors)
    if found:
        raise XdsFailure(*found)


def the_submission_set(metadata: XdsMetadata) -> SubmissionSet:
    """The request's single SubmissionSet (ITI TF-3 4.1.4: exactly one per submission)."""
    if len(metadata.submission_sets) != 1:
        raise XdsFailure.of(
            XdsErrorCode.REGISTRY_METADATA_ERROR,
            f"a submission holds exactly one SubmissionSet; this one holds "
            f"{len(metadata.submission_sets)}",
        )
    return metadata.submission_sets[0]


def patient_errors(metadata: XdsMetadata, submission_set: SubmissionSet) -> list[RegistryError]:
    """Every DocumentEntry and Folder has the SubmissionSet's patient id (guide §8.5)."""
    if submission_set.patient_id is None:
        return [_metadata_error(f"SubmissionSet {submission_set.entry_uuid} has no patientId")]
    expected = submission_set.patient_id.render()
    errors: list[RegistryError] = []
    objects: tuple[DocumentEntry | Folder, ...] = (*metadata.document_entries, *metadata.folders)
    for obj in objects:
        name = type(obj).__name__
        if obj.patient_id is None:
            errors.append(_metadata_error(f"{name} {obj.entry_uuid} has no patientId"))
        elif obj.patient_id.render() != expected:
            errors.append(
                RegistryError(
                    code=XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                    context=f"{name} {obj.entry_uuid} is for patient {obj.patient_id.render()}, "
                    f"but its SubmissionSet is for patient {expected}",
                    location=obj.entry_uuid,
                )
            )
    return errors


def patient_ids_of(metadata: XdsMetadata) -> list[Cx]:
    """The patient ids of the submission's SubmissionSets, DocumentEntries and Folders."""
    objects: tuple[SubmissionSet | DocumentEntry | Folder, ...] = (
        *metadata.submission_sets,
        *metadata.document_entries,
        *metadata.folders,
    )
    return [o.patient_id for o in objects if o.patient_id is not None]


def already_present_errors(present: Mapping[str, RegistryEntry]) -> list[RegistryError]:
    """Pre-assigned entryUUIDs that the registry already holds (NIST test 15806)."""
    return [
        _metadata_error(
            f"Submission includes pre-assigned id {entry_uuid}, which is already present in the "
            f"registry (a {entry.kind}); give new objects new ids",
            entry_uuid,
        )
        for entry_uuid, entry in sorted(present.items())
    ]


def membership_errors(metadata: XdsMetadata, submission_set_uuid: str) -> list[RegistryError]:
    """Each submitted DocumentEntry and Folder is a HasMember target of the SubmissionSet."""
    members = {
        a.target
        for a in metadata.associations
        if a.source == submission_set_uuid and a.association_type == v.ASSOC_HAS_MEMBER
    }
    return [
        _metadata_error(
            f"{type(obj).__name__} {obj.entry_uuid} is not a member of the SubmissionSet; add a "
            "HasMember association from the SubmissionSet to it",
            obj.entry_uuid,
        )
        for obj in (*metadata.document_entries, *metadata.folders)
        if obj.entry_uuid not in members
    ]


@dataclass(slots=True)
class UniqueIdFindings:
    errors: list[RegistryError] = field(default_factory=list)
    resubmitted: dict[str, RegistryEntry] = field(default_factory=dict)
    """Submitted DocumentEntry id → the registered DocumentEntry it resubmits identically."""


def unique_ids_of(metadata: XdsMetadata) -> list[str]:
    objects: Iterable[DocumentEntry | SubmissionSet | Folder] = (
        *metadata.document_entries,
        *metadata.submission_sets,
        *metadata.folders,
    )
    return [o.unique_id for o in objects if o.unique_id]


def duplicate_unique_id_errors(metadata: XdsMetadata) -> list[RegistryError]:
    counts = Counter(unique_ids_of(metadata))
    return [
        RegistryError(
            code=XdsErrorCode.REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE,
            context=f"uniqueId {unique_id} is used by {count} objects of the submission",
            location=unique_id,
        )
        for unique_id, count in sorted(counts.items())
        if count > 1
    ]


def check_unique_ids(
    metadata: XdsMetadata, registered: Iterable[RegistryEntry]
) -> UniqueIdFindings:
    """uniqueIds already in the registry (guide §8.5, NIST PMR l.52-66).

    A DocumentEntry whose uniqueId, hash, size and patient equal a registered one is an
    identical resubmission; any other reuse of a uniqueId is an error.
    """
    by_unique_id: dict[str, list[RegistryEntry]] = defaultdict(list)
    for entry in registered:
        if entry.unique_id is not None:
            by_unique_id[entry.unique_id].append(entry)
    findings = UniqueIdFindings()
    for document in metadata.document_entries:
        _check_document_unique_id(findings, document, by_unique_id.get(document.unique_id, []))
    packages: tuple[SubmissionSet | Folder, ...] = (*metadata.submission_sets, *metadata.folders)
    for package in packages:
        for found in by_unique_id.get(package.unique_id, [])[:1]:
            findings.errors.append(_duplicate_in_registry(type(package).__name__, package, found))
    return findings


def _check_document_unique_id(
    findings: UniqueIdFindings, entry: DocumentEntry, registered: list[RegistryEntry]
) -> None:
    if not registered:
        return
    others = [r for r in registered if r.kind is not ObjectKind.DOCUMENT_ENTRY]
    if others:
        findings.errors.append(_duplicate_in_registry("DocumentEntry", entry, others[0]))
        return
    latest = max(registered, key=lambda r: r.version or 0)
    error = _resubmission_error(entry, latest)
    if error is None:
        findings.resubmitted[entry.entry_uuid] = latest
    else:
        findings.errors.append(error)


def _resubmission_error(entry: DocumentEntry, registered: RegistryEntry) -> RegistryError | None:
    """Why `entry` is not an identical resubmission of `registered`, or None when it is."""
    where = (
        f"DocumentEntry uniqueId {entry.unique_id} is already registered ({registered.entry_uuid})"
    )
    submitted_hash = (entry.hash or "").lower()
    if submitted_hash != (registered.hash or ""):
        code = XdsErrorCode.NON_IDENTICAL_HASH
        context = f"{where} with hash {registered.hash}; this submission has hash {entry.hash}"
    elif entry.size is not None and registered.size is not None and entry.size != registered.size:
        code = XdsErrorCode.NON_IDENTICAL_SIZE
        context = f"{where} with size {registered.size}; this submission has size {entry.size}"
    elif entry.patient_id is not None and entry.patient_id.render() != registered.patient_id:
        code = XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH
        context = f"{where} for patient {registered.patient_id}, not {entry.patient_id.render()}"
    else:
        return None
    return RegistryError(code=code, context=context, location=entry.entry_uuid)


def _duplicate_in_registry(
    name: str, obj: DocumentEntry | SubmissionSet | Folder, found: RegistryEntry
) -> RegistryError:
    return RegistryError(
        code=XdsErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY,
        context=f"{name} uniqueId {obj.unique_id} is already used by {found.kind} "
        f"{found.entry_uuid} in the registry; uniqueIds must be unique",
        location=obj.entry_uuid,
    )


def _metadata_error(context: str, location: str | None = None) -> RegistryError:
    return RegistryError(
        code=XdsErrorCode.REGISTRY_METADATA_ERROR, context=context, location=location
    )
