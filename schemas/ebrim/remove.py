"""ITI-62 `lcm:RemoveObjectsRequest` and ITI-86 `rmd:RemoveDocumentsRequest`.

ITI-62 names the objects to delete in `rim:ObjectRefList` only; ebRS also allows selecting them
with an `rim:AdhocQuery`, which XDS does not, so such a request fails with `XdsFailure`
(XDSRegistryError). An absent ObjectRefList reads as an empty one (validation rejects it).
ITI-86 holds one or more `xdsb:DocumentRequest` (the shape of `iti86.wsdl`).
"""

from __future__ import annotations

from lxml import etree

from schemas.ebrim.retrieve import read_document_requests, write_document_requests
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import (
    expect_root,
    lcm,
    read_slot_list,
    rmd,
    root_element,
    rs,
    write_slot_list,
)
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model.common import ObjectRef
from schemas.model.messages import RemoveDocumentsRequest, RemoveObjectsRequest

_REMOVE_OBJECTS = lcm("RemoveObjectsRequest")
_REMOVE_DOCUMENTS = rmd("RemoveDocumentsRequest")


def parse_remove_objects_request(payload: etree._Element) -> RemoveObjectsRequest:
    expect_root(payload, _REMOVE_OBJECTS)
    if payload.find(rim("AdhocQuery")) is not None:
        raise XdsFailure.of(
            XdsErrorCode.REGISTRY_ERROR,
            "ITI-62 names the objects to delete in rim:ObjectRefList; rim:AdhocQuery is not "
            "supported",
        )
    ref_list = payload.find(rim("ObjectRefList"))
    refs = () if ref_list is None else ref_list.iterchildren(rim("ObjectRef"))
    return RemoveObjectsRequest(
        object_refs=tuple(ObjectRef(ref.get("id", ""), ref.get("home")) for ref in refs),
        deletion_scope=payload.get("deletionScope"),
        request_slots=read_slot_list(payload, rs("RequestSlotList")),
    )


def build_remove_objects_request(request: RemoveObjectsRequest) -> etree._Element:
    root = root_element(_REMOVE_OBJECTS, "lcm", "rim", "rs")
    if request.deletion_scope is not None:
        root.set("deletionScope", request.deletion_scope)
    write_slot_list(root, rs("RequestSlotList"), request.request_slots)
    ref_list = etree.SubElement(root, rim("ObjectRefList"))
    for ref in request.object_refs:
        element = etree.SubElement(ref_list, rim("ObjectRef"), id=ref.id)
        if ref.home_community_id is not None:
            element.set("home", ref.home_community_id)
    return root


def parse_remove_documents_request(payload: etree._Element) -> RemoveDocumentsRequest:
    expect_root(payload, _REMOVE_DOCUMENTS)
    return RemoveDocumentsRequest(documents=read_document_requests(payload))


def build_remove_documents_request(request: RemoveDocumentsRequest) -> etree._Element:
    root = root_element(_REMOVE_DOCUMENTS, "rmd", "xdsb")
    write_document_requests(root, request.documents)
    return root
