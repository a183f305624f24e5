"""Lifecycle effects shared by ITI-42 and ITI-57: new objects, folder times, folder membership.

- every new object is Approved, its own logical id (version 1) unless it is a new version;
- a Folder's lastUpdateTime is set by the registry when the Folder is created and whenever it
  gains a member (12323); it only ever increases, by at least a second;
- a DocumentEntry that replaces another joins every Folder of the one it replaces, through a new
  Folder → DocumentEntry HasMember that is itself a member of the SubmissionSet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from datetime import timedelta
from typing import TypeVar

from registry.interfaces import RegistryTransaction
from schemas import vocabulary as v
from schemas.model import (
    Association,
    AvailabilityStatus,
    Folder,
    RegistryObjectBase,
    Timestamp,
    XdsMetadata,
)

FIRST_VERSION = "1"
StoredObjectT = TypeVar("StoredObjectT", bound=RegistryObjectBase)


def as_new_object(
    obj: StoredObjectT, *, logical_id: str | None = None, version: str = FIRST_VERSION
) -> StoredObjectT:
    """The object as the registry stores it when it first sees it: Approved, versioned."""
    return dataclasses.replace(
        obj,
        status=AvailabilityStatus.APPROVED,
        logical_id=logical_id or obj.entry_uuid,
        version=version,
    )


def as_new_folder(folder: Folder, now: Timestamp) -> Folder:
    """A new Folder: lastUpdateTime is the registry's, whatever was submitted."""
    return dataclasses.replace(as_new_object(folder), last_update_time=now)


def next_update_time(now: Timestamp, previous: Timestamp | None) -> Timestamp:
    """`now`, or a second after `previous` when that is not earlier (lastUpdateTime increases)."""
    if previous is None or previous.padded < now.padded:
        return now
    return Timestamp.of(previous.to_datetime() + timedelta(seconds=1))


def membership(
    folder_uuid: str, document_uuid: str, submission_set_uuid: str, new_uuid: Callable[[], str]
) -> tuple[Association, Association]:
    """A registry-made Folder → DocumentEntry HasMember and the SubmissionSet's HasMember to it."""
    in_folder = as_new_object(
        Association(
            entry_uuid=new_uuid(),
            association_type=v.ASSOC_HAS_MEMBER,
            source=folder_uuid,
            target=document_uuid,
        )
    )
    in_submission = as_new_object(
        Association(
            entry_uuid=new_uuid(),
            association_type=v.ASSOC_HAS_MEMBER,
            source=submission_set_uuid,
            target=in_folder.entry_uuid,
        )
    )
    return in_folder, in_submission


def propagated_memberships(
    moves: Mapping[str, str],
    folders_of: Mapping[str, list[str]],
    submission_set_uuid: str,
    *,
    existing_pairs: Collection[tuple[str, str]],
    new_uuid: Callable[[], str],
) -> list[Association]:
    """For each old → new DocumentEntry in `moves`, the new one joins every Folder of the old."""
    made: list[Association] = []
    done = set(existing_pairs)
    for old, new in moves.items():
        for folder_uuid in folders_of.get(old, []):
            if (folder_uuid, new) not in done:
                done.add((folder_uuid, new))
                made.extend(membership(folder_uuid, new, submission_set_uuid, new_uuid))
    return made


def store_metadata(transaction: RegistryTransaction, metadata: XdsMetadata) -> None:
    """Add every object in one `add_all`; an association that links another association comes
    after it.

    The association rules allow only one level of that (SubmissionSet → Folder membership,
    SubmissionSet → SubmitAssociation target), so one ordering suffices.
    """
    own = {a.entry_uuid for a in metadata.associations}
    transaction.add_all(
        (
            *metadata.submission_sets,
            *metadata.document_entries,
            *metadata.folders,
            *(a for a in metadata.associations if a.target not in own),
            *(a for a in metadata.associations if a.target in own),
        )
    )
