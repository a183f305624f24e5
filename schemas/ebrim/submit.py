"""`lcm:SubmitObjectsRequest`: ITI-42 Register Document Set-b and ITI-57 Update Document Set.

Reading is two steps so validation can run between them: `read_submit_objects_request` gives the
generic rim objects (`schemas.validation` judges those), `submission_from_rim` the domain request.
`parse_submit_objects_request` does both. The NHN gateway's wrapper
`xdsb:RegisterDocumentSetRequest` around the standard body is accepted on reading; writing always
gives the standard `lcm:SubmitObjectsRequest`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from schemas.ebrim.rim import RimObjectList, read_object_list, rim, write_object_list
from schemas.ebrim.transform import metadata_from_rim, metadata_to_rim
from schemas.ebrim.wire import (
    expect_root,
    lcm,
    read_slot_list,
    required_child,
    root_element,
    rs,
    write_slot_list,
    xdsb,
)
from schemas.model.common import Slot
from schemas.model.messages import SubmitObjectsRequest

_SUBMIT = lcm("SubmitObjectsRequest")
_NHN_REGISTER_WRAPPER = xdsb("RegisterDocumentSetRequest")


@dataclass(frozen=True, slots=True, kw_only=True)
class RimSubmission:
    """A SubmitObjectsRequest as received, before validation: rim objects and request slots."""

    object_list: RimObjectList
    request_slots: tuple[Slot, ...] = ()


def read_submission(element: etree._Element) -> RimSubmission:
    """Read an `lcm:SubmitObjectsRequest` element (also the one inside a PnR request)."""
    return RimSubmission(
        object_list=read_object_list(required_child(element, rim("RegistryObjectList"))),
        request_slots=read_slot_list(element, rs("RequestSlotList")),
    )


def read_submit_objects_request(payload: etree._Element) -> RimSubmission:
    expect_root(payload, _SUBMIT, _NHN_REGISTER_WRAPPER)
    if payload.tag == _NHN_REGISTER_WRAPPER:
        payload = required_child(payload, _SUBMIT)
    return read_submission(payload)


def submission_from_rim(submission: RimSubmission) -> SubmitObjectsRequest:
    return SubmitObjectsRequest(
        metadata=metadata_from_rim(submission.object_list),
        request_slots=submission.request_slots,
    )


def parse_submit_objects_request(payload: etree._Element) -> SubmitObjectsRequest:
    return submission_from_rim(read_submit_objects_request(payload))


def write_submission(
    parent: etree._Element | None, request: SubmitObjectsRequest
) -> etree._Element:
    """An `lcm:SubmitObjectsRequest`, as a new root (parent None) or appended to `parent`."""
    if parent is None:
        element = root_element(_SUBMIT, "lcm", "rim", "rs")
    else:
        element = etree.SubElement(parent, _SUBMIT)
    write_slot_list(element, rs("RequestSlotList"), request.request_slots)
    write_object_list(element, metadata_to_rim(request.metadata))
    return element


def build_submit_objects_request(request: SubmitObjectsRequest) -> etree._Element:
    return write_submission(None, request)
