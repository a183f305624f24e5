"""`rim:Association` ↔ `Association`: type, source, target, XDS slots, documentation code."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimKind, RimObject
from schemas.ebrim.transform.codes import codes_to_rim, single_code
from schemas.ebrim.transform.common import base_fields, one, rim_object, slots_of
from schemas.model.metadata import Association


def association_from_rim(
    obj: RimObject, classifications: Sequence[RimClassification]
) -> Association:
    """Read an Association; `classifications` are all of it, nested and top-level."""
    return Association(
        **base_fields(obj, v.ASSOCIATION_SLOTS),
        association_type=obj.association_type or "",
        source=obj.source_object or "",
        target=obj.target_object or "",
        submission_set_status=obj.first_slot_value(v.SLOT_SUBMISSION_SET_STATUS),
        previous_version=obj.first_slot_value(v.SLOT_PREVIOUS_VERSION),
        original_status=obj.first_slot_value(v.SLOT_ORIGINAL_STATUS),
        new_status=obj.first_slot_value(v.SLOT_NEW_STATUS),
        association_propagation=obj.first_slot_value(v.SLOT_ASSOCIATION_PROPAGATION),
        documentation=single_code(classifications, v.ASSOCIATION_DOCUMENTATION),
    )


def association_to_rim(association: Association) -> RimObject:
    a = association
    obj = rim_object(
        a,
        RimKind.ASSOCIATION,
        v.OBJECT_TYPE_ASSOCIATION,
        slots=slots_of(
            (v.SLOT_SUBMISSION_SET_STATUS, one(a.submission_set_status)),
            (v.SLOT_PREVIOUS_VERSION, one(a.previous_version)),
            (v.SLOT_ORIGINAL_STATUS, one(a.original_status)),
            (v.SLOT_NEW_STATUS, one(a.new_status)),
            (v.SLOT_ASSOCIATION_PROPAGATION, one(a.association_propagation)),
        ),
        classifications=codes_to_rim(
            [a.documentation], owner=a.entry_uuid, scheme=v.ASSOCIATION_DOCUMENTATION
        ),
    )
    return dataclasses.replace(
        obj, association_type=a.association_type, source_object=a.source, target_object=a.target
    )
