"""What every XDS object kind shares on the wire: base attributes, slots, child ids, flags.

Reading is total: a value that is missing or malformed becomes None (or the raw text, for
timestamps) and never raises; `schemas.validation` has already judged the rim objects.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import TypedDict

from schemas import vocabulary as v
from schemas.ebrim.rim import (
    RimClassification,
    RimExternalIdentifier,
    RimKind,
    RimObject,
    RimSlot,
)
from schemas.model.common import (
    AvailabilityStatus,
    InternationalString,
    RegistryObjectBase,
    Slot,
    international,
)
from schemas.model.hl7v2 import Cx, Timestamp

# Fixed namespace of the uuid5 ids given to Classifications and ExternalIdentifiers we write.
_CHILD_NAMESPACE = uuid.UUID("1ffc8e06-076a-4d0c-aea9-eca4ab5bd604")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def child_id(owner: str, role: str, index: int = 0) -> str:
    """A stable `urn:uuid:` for the `index`-th child of `owner` in `role` (a scheme or node)."""
    return v.UUID_PREFIX + str(uuid.uuid5(_CHILD_NAMESPACE, f"{owner}\n{role}\n{index}"))


# --------------------------------------------------------------------------- slots


def slot_from_rim(slot: RimSlot) -> Slot:
    return Slot(slot.name, slot.values, slot.slot_type)


def slot_to_rim(slot: Slot) -> RimSlot:
    return RimSlot(slot.name, slot.values, slot.slot_type)


def slots_from_rim(slots: Iterable[RimSlot]) -> tuple[Slot, ...]:
    return tuple(slot_from_rim(s) for s in slots)


def slots_to_rim(slots: Iterable[Slot]) -> tuple[RimSlot, ...]:
    return tuple(slot_to_rim(s) for s in slots)


def slots_of(*pairs: tuple[str, Sequence[str]]) -> tuple[RimSlot, ...]:
    """The slots for (name, values) pairs, leaving out those without a value."""
    return tuple(RimSlot(name, tuple(values)) for name, values in pairs if values)


def one(value: str | None) -> tuple[str, ...]:
    return () if value is None else (value,)


def timestamp_values(value: Timestamp | None) -> tuple[str, ...]:
    return () if value is None else (value.value,)


def timestamp(obj: RimObject, name: str) -> Timestamp | None:
    text = obj.first_slot_value(name)
    return None if text is None else Timestamp.from_wire(text)


def optional_cx(text: str | None) -> Cx | None:
    return None if text is None else Cx.parse(text)


def integer(text: str | None) -> int | None:
    """A decimal integer, or None when the text is not one."""
    return int(text) if text is not None and _INTEGER.fullmatch(text) else None


def availability_status(text: str | None) -> AvailabilityStatus | None:
    """The status, or None when absent or not one ebRIM defines for XDS."""
    try:
        return None if text is None else AvailabilityStatus(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------- base attributes


class BaseFields(TypedDict):
    """The `RegistryObjectBase` fields, read from any rim object."""

    entry_uuid: str
    logical_id: str | None
    version: str | None
    home_community_id: str | None
    status: AvailabilityStatus | None
    title: InternationalString
    comments: InternationalString
    extra_slots: tuple[Slot, ...]


def base_fields(obj: RimObject, xds_slots: frozenset[str]) -> BaseFields:
    """Identity, status, texts, and every slot whose name is not in `xds_slots` as extra."""
    return BaseFields(
        entry_uuid=obj.id,
        logical_id=obj.lid,
        version=obj.version_name,
        home_community_id=obj.home,
        status=availability_status(obj.status),
        title=obj.name,
        comments=obj.description,
        extra_slots=slots_from_rim(s for s in obj.slots if s.name not in xds_slots),
    )


def rim_object(
    entry: RegistryObjectBase,
    kind: RimKind,
    object_type: str,
    *,
    slots: Iterable[RimSlot],
    classifications: Iterable[RimClassification] = (),
    identifiers: Iterable[RimExternalIdentifier] = (),
    mime_type: str | None = None,
) -> RimObject:
    """A rim object with `entry`'s base attributes; its extra slots follow the XDS ones."""
    return RimObject(
        kind=kind,
        id=entry.entry_uuid,
        lid=entry.logical_id,
        object_type=object_type,
        status=None if entry.status is None else entry.status.value,
        home=entry.home_community_id,
        name=entry.title,
        description=entry.comments,
        version_name=entry.version,
        slots=(*slots, *slots_to_rim(entry.extra_slots)),
        classifications=tuple(classifications),
        external_identifiers=tuple(identifiers),
        mime_type=mime_type,
    )


# --------------------------------------------------------------------------- identifiers, flags


def identifier_value(obj: RimObject, scheme: str) -> str | None:
    found = obj.external_identifiers_by_scheme(scheme)
    return found[0].value if found else None


def identifier(
    owner: str, scheme: str, value: str | None, name: str
) -> list[RimExternalIdentifier]:
    """The ExternalIdentifier of `owner` in `scheme` (none when `value` is None)."""
    if value is None:
        return []
    return [
        RimExternalIdentifier(
            id=child_id(owner, scheme),
            registry_object=owner,
            scheme=scheme,
            value=value,
            name=international(name),
        )
    ]


def is_flagged(classifications: Iterable[RimClassification], node: str) -> bool:
    """Whether a classification marks the object with `node` (IPF writes it as the scheme)."""
    return any(node in (c.node, c.scheme) for c in classifications)


def node_classification(owner: str, node: str) -> RimClassification:
    """An internal classification of `owner` by `node` (SubmissionSet, Folder, limited metadata)."""
    return RimClassification(id=child_id(owner, node), classified_object=owner, node=node)


def flag(owner: str, node: str, on: bool) -> list[RimClassification]:
    return [node_classification(owner, node)] if on else []
