"""The association rules of a registration (ITI-42; ITI TF-3 4.1.4, 4.2.2; guide §8.4, §8.5).

HasMember: SubmissionSet → DocumentEntry, Folder or (Folder → DocumentEntry) association, and
Folder → DocumentEntry, where the Folder and the DocumentEntry may already be registered.
Document relationships (RPLC, APND, XFRM, XFRM_RPLC, signs, IsSnapshotOf): the source is a new
DocumentEntry, the target a registered one that is not Deprecated (a `signs` target may be new).
Both ends of every association belong to the same patient, except a HasMember whose
SubmissionSetStatus is Reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from registry.entries import ObjectKind
from registry.services.references import Endpoint
from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import Association, AssociationType, AvailabilityStatus, DocumentEntryType

_TARGET_MAY_BE_NEW = frozenset({AssociationType.SIGNS})
_TARGET_MAY_BE_DEPRECATED = frozenset({AssociationType.SIGNS})


@dataclass(slots=True)
class AssociationFindings:
    """What the rules found: errors, and the lifecycle changes the associations ask for."""

    errors: list[RegistryError] = field(default_factory=list)
    replaced: dict[str, str] = field(default_factory=dict)
    """Replaced DocumentEntry → the DocumentEntry replacing it (RPLC, XFRM_RPLC)."""
    folders_gaining: set[str] = field(default_factory=set)
    """Registered Folders that get a new member."""
    folder_members: set[tuple[str, str]] = field(default_factory=set)
    """(Folder, DocumentEntry) pairs the submission links."""

    def error(self, code: XdsErrorCode, context: str, association: Association) -> None:
        self.errors.append(
            RegistryError(code=code, context=context, location=association.entry_uuid)
        )


def check_registration_associations(
    associations: tuple[Association, ...],
    endpoints: Mapping[str, Endpoint],
    submission_set_uuid: str,
) -> AssociationFindings:
    """Check every association of a registration against the submission and the registry."""
    findings = AssociationFindings()
    for association in associations:
        source = endpoints.get(association.source)
        target = endpoints.get(association.target)
        kind = association.kind
        if kind is None:
            findings.error(
                XdsErrorCode.REGISTRY_METADATA_ERROR,
                f"association {association.entry_uuid} has the unknown type "
                f"{association.association_type!r}",
                association,
            )
        elif source is None or target is None:
            _unresolved(findings, association, kind, missing_source=source is None)
        elif kind is AssociationType.HAS_MEMBER:
            _check_has_member(findings, association, source, target, submission_set_uuid)
        elif kind.is_document_relationship:
            _check_relationship(findings, association, kind, source, target)
        else:
            findings.error(
                XdsErrorCode.REGISTRY_METADATA_ERROR,
                f"a {kind.short_name} association ({association.entry_uuid}) belongs in an "
                "ITI-57 metadata-update request, not in a registration",
                association,
            )
    return findings


def _unresolved(
    findings: AssociationFindings,
    association: Association,
    kind: AssociationType,
    *,
    missing_source: bool,
) -> None:
    end, name = ("sourceObject", association.source)
    if not missing_source:
        end, name = ("targetObject", association.target)
    findings.error(
        XdsErrorCode.REGISTRY_ERROR,
        f"{kind.short_name} association {association.entry_uuid}: its {end} {name} is neither "
        "in the submission nor in the registry",
        association,
    )


def _check_has_member(
    findings: AssociationFindings,
    association: Association,
    source: Endpoint,
    target: Endpoint,
    submission_set_uuid: str,
) -> None:
    if source.entry_uuid == submission_set_uuid:
        _check_submission_set_member(findings, association, target)
    elif source.kind is ObjectKind.FOLDER and target.kind is ObjectKind.DOCUMENT_ENTRY:
        findings.folder_members.add((source.entry_uuid, target.entry_uuid))
        if not source.is_new:
            findings.folders_gaining.add(source.entry_uuid)
    else:
        findings.error(
            XdsErrorCode.REGISTRY_METADATA_ERROR,
            f"HasMember association {association.entry_uuid} links {source.describe()} to "
            f"{target.describe()}; a HasMember starts at the submission's SubmissionSet or links "
            "a Folder to a DocumentEntry",
            association,
        )
        return
    is_reference = association.submission_set_status == v.SUBMISSION_SET_STATUS_REFERENCE
    if not is_reference:
        _check_same_patient(findings, association, source, target)


def _check_submission_set_member(
    findings: AssociationFindings, association: Association, target: Endpoint
) -> None:
    status = association.submission_set_status
    if target.kind is ObjectKind.DOCUMENT_ENTRY:
        if status == v.SUBMISSION_SET_STATUS_ORIGINAL and not (target.is_new or target.resubmitted):
            findings.error(
                XdsErrorCode.REGISTRY_METADATA_ERROR,
                f"HasMember {association.entry_uuid} says SubmissionSetStatus Original, but "
                f"{target.describe()} is not submitted here; use Reference for a registered one",
                association,
            )
    elif target.kind is ObjectKind.ASSOCIATION:
        if not (target.is_new and _links_folder_to_document(target)):
            findings.error(
                XdsErrorCode.REGISTRY_METADATA_ERROR,
                f"HasMember {association.entry_uuid} makes {target.describe()} a member of the "
                "SubmissionSet; only a Folder-to-DocumentEntry HasMember of this submission can be",
                association,
            )
    elif target.kind is not ObjectKind.FOLDER:
        findings.error(
            XdsErrorCode.REGISTRY_METADATA_ERROR,
            f"HasMember {association.entry_uuid} makes {target.describe()} a member of the "
            "SubmissionSet; members are DocumentEntries, Folders and Folder memberships",
            association,
        )


def _links_folder_to_document(endpoint: Endpoint) -> bool:
    return endpoint.association_type == v.ASSOC_HAS_MEMBER


def _check_relationship(
    findings: AssociationFindings,
    association: Association,
    kind: AssociationType,
    source: Endpoint,
    target: Endpoint,
) -> None:
    name = f"{kind.short_name} association {association.entry_uuid}"
    if source.kind is not ObjectKind.DOCUMENT_ENTRY or not source.is_new:
        findings.error(
            XdsErrorCode.REGISTRY_METADATA_ERROR,
            f"{name}: its source must be a DocumentEntry of this submission, not "
            f"{source.describe()}",
            association,
        )
        return
    if target.kind is not ObjectKind.DOCUMENT_ENTRY or (
        target.is_new and kind not in _TARGET_MAY_BE_NEW
    ):
        findings.error(
            XdsErrorCode.REGISTRY_ERROR,
            f"{name}: its target must be a DocumentEntry in the registry, not {target.describe()}",
            association,
        )
        return
    if target.status is AvailabilityStatus.DEPRECATED and kind not in _TARGET_MAY_BE_DEPRECATED:
        findings.error(
            XdsErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR,
            f"{name}: DocumentEntry {target.entry_uuid} is Deprecated (replaced or withdrawn); "
            "use the current version of the document",
            association,
        )
        return
    if kind is AssociationType.IS_SNAPSHOT_OF:
        _check_snapshot(findings, association, target)
    if kind.replaces_target:
        _record_replacement(findings, association, source, target)
    _check_same_patient(findings, association, source, target)


def _check_snapshot(
    findings: AssociationFindings, association: Association, target: Endpoint
) -> None:
    if target.object_type != DocumentEntryType.ON_DEMAND.value:
        findings.error(
            XdsErrorCode.REGISTRY_METADATA_ERROR,
            f"IsSnapshotOf association {association.entry_uuid}: {target.describe()} is not an "
            "On-Demand DocumentEntry",
            association,
        )


def _record_replacement(
    findings: AssociationFindings, association: Association, source: Endpoint, target: Endpoint
) -> None:
    earlier = findings.replaced.get(target.entry_uuid)
    if earlier is not None and earlier != source.entry_uuid:
        findings.error(
            XdsErrorCode.REGISTRY_METADATA_ERROR,
            f"DocumentEntry {target.entry_uuid} is replaced twice in one submission (by "
            f"{earlier} and {source.entry_uuid})",
            association,
        )
        return
    findings.replaced[target.entry_uuid] = source.entry_uuid


def _check_same_patient(
    findings: AssociationFindings, association: Association, source: Endpoint, target: Endpoint
) -> None:
    if source.patient_id and target.patient_id and source.patient_id != target.patient_id:
        kind = association.kind
        name = kind.short_name if kind is not None else association.association_type
        findings.error(
            XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH,
            f"{name} association {association.entry_uuid} links objects of two patients: "
            f"{source.describe()} is for {source.patient_id}, {target.describe()} is for "
            f"{target.patient_id}",
            association,
        )
