"""ITI-57 Update Document Set: metadata versioning and status changes, all or nothing.

The request's SubmissionSet is registered like any other. Each operation (see
`update_operations`) is checked against the row-locked registry state; then, in one
transaction: new versions are stored and the versions they follow Deprecated; with
AssociationPropagation (the default) a new DocumentEntry version joins the Folders of the one it
follows and a new Folder version keeps the DocumentEntries of the one it follows; status changes
and submitted associations are applied; Folders whose membership changed get a new lastUpdateTime.
Operations that would interfere within one request (two changes to one object, a propagating
update next to an update of the Folder it propagates into) fail with
XDSMetadataUpdateOperationError.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from registry.entries import ObjectKind, RegistryEntry
from registry.interfaces import RegistryStore, RegistryTransaction
from registry.services.identifiers import assign_entry_uuids, duplicate_id_errors, new_entry_uuid
from registry.services.lifecycle import (
    as_new_object,
    membership,
    next_update_time,
    propagated_memberships,
    store_metadata,
)
from registry.services.options import RegistryOptions
from registry.services.patients import unknown_patient_errors
from registry.services.submission import (
    already_present_errors,
    check_unique_ids,
    duplicate_unique_id_errors,
    patient_errors,
    patient_ids_of,
    raise_if_any,
    the_submission_set,
)
from registry.services.transactions import in_transaction
from registry.services.update_associations import (
    AssociationPlan,
    plan_status_updates,
    plan_submitted_associations,
)
from registry.services.update_operations import UpdateOperations, read_operations
from registry.services.update_versions import VersionPlan, plan_versions
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import (
    AvailabilityStatus,
    DocumentEntry,
    Folder,
    SubmissionSet,
    Timestamp,
    XdsMetadata,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateOutcome:
    """What a successful update stored and changed."""

    stored: XdsMetadata
    assigned_ids: Mapping[str, str]
    deprecated: tuple[str, ...]
    """The versions the new versions follow."""
    status_changes: Mapping[str, AvailabilityStatus]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    submission_set: SubmissionSet
    versions: VersionPlan
    associations: AssociationPlan


def update_document_set(
    store: RegistryStore,
    metadata: XdsMetadata,
    *,
    options: RegistryOptions,
    new_uuid: Callable[[], str] = new_entry_uuid,
) -> UpdateOutcome:
    """Apply a validated ITI-57 request, or raise `XdsFailure` and change nothing."""
    raise_if_any(duplicate_id_errors(metadata))
    submission, assigned = assign_entry_uuids(metadata, new_uuid)
    now = options.clock()

    def update(transaction: RegistryTransaction) -> UpdateOutcome:
        plan = _plan(transaction, submission, options)
        return _apply(transaction, submission, plan, now, new_uuid)

    outcome = in_transaction(store, update, attempts=options.write_attempts)
    return dataclasses.replace(outcome, assigned_ids=assigned)


def _plan(
    transaction: RegistryTransaction, submission: XdsMetadata, options: RegistryOptions
) -> _Plan:
    submission_set = the_submission_set(submission)
    operations = read_operations(submission, submission_set.entry_uuid)
    raise_if_any(
        [
            *operations.errors,
            *patient_errors(submission, submission_set),
            *duplicate_unique_id_errors(submission),
        ]
    )
    present = transaction.entries([o.entry_uuid for o in submission.registry_objects()])
    set_only = XdsMetadata(submission_sets=(submission_set,))
    unique_ids = check_unique_ids(
        set_only, transaction.entries_with_unique_ids([submission_set.unique_id])
    )
    raise_if_any(
        [
            *unknown_patient_errors(transaction, patient_ids_of(submission)),
            *already_present_errors(present),
            *unique_ids.errors,
        ]
    )
    versions = plan_versions(
        operations.versions,
        transaction.versions_of({u.logical_id for u in operations.versions}, lock=True),
        allow_patient_id_update=options.allow_patient_id_update,
    )
    associations, mismatches = _plan_associations(transaction, operations, submission_set)
    raise_if_any([*versions.errors, *associations.errors, *mismatches])
    raise_if_any(_interference(transaction, versions, associations, operations))
    return _Plan(submission_set=submission_set, versions=versions, associations=associations)


def _plan_associations(
    transaction: RegistryTransaction, operations: UpdateOperations, submission_set: SubmissionSet
) -> tuple[AssociationPlan, list[RegistryError]]:
    submitted = [association for _, association in operations.submitted]
    wanted = {u.target for u in operations.status_updates}
    wanted |= {a.source for a in submitted} | {a.target for a in submitted}
    registered = transaction.entries(wanted, lock=True)
    sources = {e.source for e in registered.values() if e.source is not None}
    registered |= transaction.entries(sources - registered.keys(), lock=True)
    lids = {e.logical_id for e in registered.values() if e.logical_id is not None}
    latest: dict[str, RegistryEntry] = {}
    for entry in transaction.versions_of(lids):
        if entry.logical_id is not None:
            latest[entry.logical_id] = entry  # versions_of orders by version
    plan = AssociationPlan()
    plan_status_updates(
        plan, operations.status_updates, registered, latest, submission_set.entry_uuid
    )
    existing = transaction.associations_touching({a.source for a in submitted})
    mismatches = plan_submitted_associations(plan, submitted, registered, existing)
    return plan, mismatches


def _interference(
    transaction: RegistryTransaction,
    versions: VersionPlan,
    associations: AssociationPlan,
    operations: UpdateOperations,
) -> list[RegistryError]:
    """Operations of one request that would act on the same object."""
    replaced = {e.entry_uuid for e in versions.replaced}
    touched = {entry.entry_uuid for entry, _ in associations.status_changes}
    for _, association in operations.submitted:
        touched |= {association.source, association.target}
    clashes = sorted(replaced & touched)
    documents = [e.entry_uuid for e in versions.replaced if e.kind is ObjectKind.DOCUMENT_ENTRY]
    propagating = [d for d in documents if d in versions.propagated]
    for folders in transaction.folders_containing(propagating).values():
        clashes.extend(sorted(replaced.intersection(folders)))
    return [
        RegistryError(
            code=XdsErrorCode.METADATA_UPDATE_OPERATION_ERROR,
            context=f"{entry_uuid} is changed by more than one operation of this request "
            "(a new version and a status change, a submitted association or the association "
            "propagation of another update); send them in separate requests",
            location=entry_uuid,
        )
        for entry_uuid in clashes
    ]


def _apply(
    transaction: RegistryTransaction,
    submission: XdsMetadata,
    plan: _Plan,
    now: Timestamp,
    new_uuid: Callable[[], str],
) -> UpdateOutcome:
    versions = plan.versions
    ss_uuid = plan.submission_set.entry_uuid
    moved_documents, moved_folders = _split_by_kind(versions)
    folders_of = transaction.folders_containing(moved_documents)
    propagated = propagated_memberships(
        moved_documents, folders_of, ss_uuid, existing_pairs=(), new_uuid=new_uuid
    )
    for previous, new in moved_folders.items():
        for document in transaction.documents_in_folder(previous):
            propagated.extend(membership(new, document, ss_uuid, new_uuid))
    touched = plan.associations.folders_changed | {f for fs in folders_of.values() for f in fs}
    folders = transaction.entries(touched, lock=True)
    stored = XdsMetadata(
        submission_sets=(as_new_object(plan.submission_set),),
        document_entries=tuple(o for o in versions.new_versions if isinstance(o, DocumentEntry)),
        folders=tuple(o for o in versions.new_versions if isinstance(o, Folder)),
        associations=(*(as_new_object(a) for a in submission.associations), *propagated),
    )
    store_metadata(transaction, stored)
    for previous_version in versions.replaced:
        transaction.change_status(previous_version, AvailabilityStatus.DEPRECATED)
    for target, status in plan.associations.status_changes:
        transaction.change_status(target, status)
    for folder_uuid in sorted(touched):
        folder = folders[folder_uuid]
        transaction.touch_folder(folder, next_update_time(now, folder.last_update_time))
    return UpdateOutcome(
        stored=stored,
        assigned_ids={},
        deprecated=tuple(e.entry_uuid for e in versions.replaced),
        status_changes={e.entry_uuid: s for e, s in plan.associations.status_changes},
    )


def _split_by_kind(versions: VersionPlan) -> tuple[dict[str, str], dict[str, str]]:
    """Propagating updates: previous → new DocumentEntry, and previous → new Folder."""
    kinds = {e.entry_uuid: e.kind for e in versions.replaced}
    documents = {
        old: new
        for old, new in versions.propagated.items()
        if kinds[old] is ObjectKind.DOCUMENT_ENTRY
    }
    folders = {
        old: new for old, new in versions.propagated.items() if kinds[old] is ObjectKind.FOLDER
    }
    return documents, folders
