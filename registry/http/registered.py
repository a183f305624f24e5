"""Registered DocumentEntries a write request acts on, read back for the access rules: whose
documents a publisher updates or deletes is decided by the registered metadata, not only by what
the request submits."""

from __future__ import annotations

from collections.abc import Collection

from registry.entries import ResultLimitExceeded, StoredObject
from registry.services.filtering import read_contents
from registry.state import RegistryState
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import AssociationType, DocumentEntry, XdsMetadata
from schemas.queries import IdentifierKind, ObjectSelector
from trustframework.judged import AccessFacts


def registered_entries(
    state: RegistryState, kind: IdentifierKind, values: Collection[str]
) -> tuple[DocumentEntry, ...]:
    """The registered DocumentEntries (every version) with these entryUUIDs or logical ids."""
    parsed = (state.codec.parse(stored.xml) for stored in _registered(state, kind, values))
    return tuple(entry for entry in parsed if isinstance(entry, DocumentEntry))


def registered_access_facts(
    state: RegistryState, kind: IdentifierKind, values: Collection[str]
) -> tuple[AccessFacts, ...]:
    """What the access policy judges of the registered DocumentEntries (every version) with
    these entryUUIDs or logical ids, from their stored facts."""
    return read_contents(_registered(state, kind, values)).entries


def _registered(
    state: RegistryState, kind: IdentifierKind, values: Collection[str]
) -> list[StoredObject]:
    if not values:
        return []
    selector = ObjectSelector(kind, tuple(sorted(values)))
    try:
        return state.store.get_document_entries(selector, limit=state.options.max_results)
    except ResultLimitExceeded as exceeded:
        raise XdsFailure.of(
            XdsErrorCode.REGISTRY_ERROR,
            f"the request acts on more than {exceeded.limit} registered documents; split it",
        ) from None


REPLACING = frozenset({AssociationType.REPLACE, AssociationType.TRANSFORM_AND_REPLACE})


def entries_a_registration_replaces(
    state: RegistryState, metadata: XdsMetadata
) -> tuple[DocumentEntry, ...]:
    """The registered DocumentEntries an ITI-42 request deprecates (RPLC, XFRM_RPLC targets)."""
    targets = {a.target for a in metadata.associations if a.kind in REPLACING}
    return registered_entries(state, IdentifierKind.ENTRY_UUID, targets)


def entries_an_update_touches(
    state: RegistryState, metadata: XdsMetadata
) -> tuple[DocumentEntry, ...]:
    """The registered DocumentEntries an ITI-57 request changes: the versions its new versions
    follow (same logical id) and the registered ends of its associations (status changes,
    submitted associations)."""
    submitted = {
        obj.entry_uuid
        for obj in (*metadata.submission_sets, *metadata.document_entries, *metadata.folders)
    } | {a.entry_uuid for a in metadata.associations}
    ends = {end for a in metadata.associations for end in (a.source, a.target)} - submitted
    logical_ids = {e.logical_id for e in metadata.document_entries if e.logical_id}
    by_lid = registered_entries(state, IdentifierKind.LOGICAL_ID, logical_ids)
    by_uuid = registered_entries(state, IdentifierKind.ENTRY_UUID, ends)
    return (*by_lid, *by_uuid)
