"""Entry UUIDs of a submission: symbolic ids replaced, references redirected.

A submission may name its objects with symbolic ids (`Document01`); the registry gives each a new
`urn:uuid:` and rewrites every reference to it (association source and target, logical ids).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Mapping

from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import XdsMetadata


def new_entry_uuid() -> str:
    return f"{v.UUID_PREFIX}{uuid.uuid4()}"


def duplicate_id_errors(metadata: XdsMetadata) -> list[RegistryError]:
    """Each id that more than one object of the submission uses."""
    counts = Counter(o.entry_uuid for o in metadata.registry_objects())
    return [
        RegistryError(
            code=XdsErrorCode.REGISTRY_METADATA_ERROR,
            context=f"id {entry_uuid} is used by {count} objects of the submission; ids must be "
            "unique",
            location=entry_uuid,
        )
        for entry_uuid, count in sorted(counts.items())
        if count > 1
    ]


def assign_entry_uuids(
    metadata: XdsMetadata, new_uuid: Callable[[], str] = new_entry_uuid
) -> tuple[XdsMetadata, dict[str, str]]:
    """The submission with a new `urn:uuid:` for every symbolic id, and that mapping."""
    mapping = {o.entry_uuid: new_uuid() for o in metadata.registry_objects() if not o.has_uuid}
    return redirect(metadata, mapping), mapping


def redirect(
    metadata: XdsMetadata, mapping: Mapping[str, str], *, drop: Collection[str] = ()
) -> XdsMetadata:
    """Ids and references renamed by `mapping`; the DocumentEntries in `drop` left out."""

    def renamed(identifier: str) -> str:
        return mapping.get(identifier, identifier)

    def lid(logical_id: str | None) -> str | None:
        return None if logical_id is None else renamed(logical_id)

    return XdsMetadata(
        submission_sets=tuple(
            dataclasses.replace(s, entry_uuid=renamed(s.entry_uuid), logical_id=lid(s.logical_id))
            for s in metadata.submission_sets
        ),
        document_entries=tuple(
            dataclasses.replace(e, entry_uuid=renamed(e.entry_uuid), logical_id=lid(e.logical_id))
            for e in metadata.document_entries
            if e.entry_uuid not in drop
        ),
        folders=tuple(
            dataclasses.replace(f, entry_uuid=renamed(f.entry_uuid), logical_id=lid(f.logical_id))
            for f in metadata.folders
        ),
        associations=tuple(
            dataclasses.replace(
                a,
                entry_uuid=renamed(a.entry_uuid),
                logical_id=lid(a.logical_id),
                source=renamed(a.source),
                target=renamed(a.target),
            )
            for a in metadata.associations
        ),
        object_refs=metadata.object_refs,
    )
