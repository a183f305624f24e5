"""ITI-42 Register Document Set-b: the registration of validated metadata, all or nothing.

The flow, in one database transaction (run again if a concurrent writer conflicts):
1. symbolic ids become new `urn:uuid:`s (before the transaction, so a retry keeps them);
2. submission rules: one SubmissionSet whose members are every DocumentEntry and Folder, one
   patient, a known patient, pre-assigned ids and uniqueIds not yet registered;
3. a DocumentEntry identical to a registered one (same uniqueId, hash, size, patient) is an
   identical resubmission: nothing new is stored for it, and the submission's associations
   point at the registered DocumentEntry instead;
4. association rules against the submission and the (row-locked) registry objects;
5. the writes: new objects (Approved), replaced DocumentEntries Deprecated, replacements joining
   the Folders of what they replace, lastUpdateTime of every Folder that gained a member.
Any rule that fails raises `XdsFailure` with every error found, and nothing is stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from registry.interfaces import RegistryStore, RegistryTransaction
from registry.services.associations import AssociationFindings, check_registration_associations
from registry.services.identifiers import (
    assign_entry_uuids,
    duplicate_id_errors,
    new_entry_uuid,
    redirect,
)
from registry.services.lifecycle import (
    as_new_folder,
    as_new_object,
    next_update_time,
    propagated_memberships,
    store_metadata,
)
from registry.services.options import RegistryOptions
from registry.services.patients import unknown_patient_errors
from registry.services.references import endpoints_of, referenced_elsewhere
from registry.services.submission import (
    already_present_errors,
    check_unique_ids,
    duplicate_unique_id_errors,
    membership_errors,
    patient_errors,
    patient_ids_of,
    raise_if_any,
    the_submission_set,
    unique_ids_of,
)
from registry.services.transactions import in_transaction
from schemas.model import (
    AvailabilityStatus,
    SubmissionSet,
    Timestamp,
    XdsMetadata,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationOutcome:
    """What a successful registration stored.

    `stored` holds the objects as stored (entryUUIDs, statuses, versions, folder times, and the
    Folder memberships the registry made); `assigned_ids` maps each symbolic id to its new
    entryUUID; `resubmitted` maps each identically resubmitted DocumentEntry id to the registered
    DocumentEntry it stands for; `deprecated` lists the replaced DocumentEntries.
    """

    stored: XdsMetadata
    assigned_ids: Mapping[str, str]
    resubmitted: Mapping[str, str]
    deprecated: tuple[str, ...]


def register_document_set(
    store: RegistryStore,
    metadata: XdsMetadata,
    *,
    options: RegistryOptions,
    new_uuid: Callable[[], str] = new_entry_uuid,
) -> RegistrationOutcome:
    """Register a validated submission (ITI-42), or raise `XdsFailure` and store nothing."""
    raise_if_any(duplicate_id_errors(metadata))
    submission, assigned = assign_entry_uuids(metadata, new_uuid)
    now = options.clock()

    def register(transaction: RegistryTransaction) -> RegistrationOutcome:
        return _register(transaction, submission, now, new_uuid)

    outcome = in_transaction(store, register, attempts=options.write_attempts)
    return dataclasses.replace(outcome, assigned_ids=assigned)


def _register(
    transaction: RegistryTransaction,
    submission: XdsMetadata,
    now: Timestamp,
    new_uuid: Callable[[], str],
) -> RegistrationOutcome:
    submission_set = the_submission_set(submission)
    raise_if_any(
        [
            *membership_errors(submission, submission_set.entry_uuid),
            *patient_errors(submission, submission_set),
            *duplicate_unique_id_errors(submission),
        ]
    )
    present = transaction.entries([o.entry_uuid for o in submission.registry_objects()])
    unique_ids = check_unique_ids(
        submission, transaction.entries_with_unique_ids(unique_ids_of(submission))
    )
    raise_if_any(
        [
            *unknown_patient_errors(transaction, patient_ids_of(submission)),
            *already_present_errors(present),
            *unique_ids.errors,
        ]
    )
    resubmitted = {submitted: e.entry_uuid for submitted, e in unique_ids.resubmitted.items()}
    mapped = redirect(submission, resubmitted, drop=resubmitted.keys())
    registered = transaction.entries(referenced_elsewhere(mapped), lock=True)
    endpoints = endpoints_of(mapped, registered, resubmitted=resubmitted.values())
    findings = check_registration_associations(
        mapped.associations, endpoints, submission_set.entry_uuid
    )
    raise_if_any(findings.errors)
    stored = _store(
        transaction,
        submission=mapped,
        submission_set=submission_set,
        findings=findings,
        now=now,
        new_uuid=new_uuid,
    )
    for replaced in findings.replaced:
        transaction.change_status(registered[replaced], AvailabilityStatus.DEPRECATED)
    return RegistrationOutcome(
        stored=stored,
        assigned_ids={},
        resubmitted=resubmitted,
        deprecated=tuple(findings.replaced),
    )


def _store(
    transaction: RegistryTransaction,
    *,
    submission: XdsMetadata,
    submission_set: SubmissionSet,
    findings: AssociationFindings,
    now: Timestamp,
    new_uuid: Callable[[], str],
) -> XdsMetadata:
    """Write the new objects, the Folder memberships of replacements and the Folder times."""
    folders_of = transaction.folders_containing(findings.replaced)
    touched = findings.folders_gaining | {f for found in folders_of.values() for f in found}
    folders = transaction.entries(touched, lock=True)
    propagated = propagated_memberships(
        findings.replaced,
        folders_of,
        submission_set.entry_uuid,
        existing_pairs=findings.folder_members,
        new_uuid=new_uuid,
    )
    stored = XdsMetadata(
        submission_sets=(as_new_object(submission_set),),
        document_entries=tuple(as_new_object(e) for e in submission.document_entries),
        folders=tuple(as_new_folder(f, now) for f in submission.folders),
        associations=(*(as_new_object(a) for a in submission.associations), *propagated),
    )
    store_metadata(transaction, stored)
    for folder_uuid in sorted(touched):
        folder = folders[folder_uuid]
        transaction.touch_folder(folder, next_update_time(now, folder.last_update_time))
    return stored
