"""`query:AdhocQueryRequest` and `query:AdhocQueryResponse` (ITI-18 stored queries, ITI-51).

Query parameters keep their raw values (`'a'`, `('a','b')`); the stored-query layer reads them.
A `returnType` other than LeafClass or ObjectRef is valid ebRS but not XDS: it fails with
`XdsFailure` (XDSRegistryError), which the registry answers as an AdhocQueryResponse.
"""

from __future__ import annotations

from lxml import etree

from schemas.ebrim.response import read_registry_errors, read_status, write_response_head
from schemas.ebrim.rim import (
    RimSlot,
    read_object_list,
    read_slots,
    rim,
    write_object_list,
    write_slots,
)
from schemas.ebrim.transform import metadata_from_rim, metadata_to_rim
from schemas.ebrim.wire import (
    expect_root,
    query,
    read_slot_list,
    required_attribute,
    required_child,
    root_element,
    rs,
    write_slot_list,
)
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model.messages import AdhocQueryRequest, AdhocQueryResponse, QueryParameter, ReturnType
from schemas.soap import sender_fault

_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def _return_type(option: etree._Element) -> ReturnType:
    raw = option.get("returnType")
    try:
        return ReturnType(raw or "")
    except ValueError:
        shown = "absent (the ebRS default, RegistryObject)" if raw is None else repr(raw)
        raise XdsFailure.of(
            XdsErrorCode.REGISTRY_ERROR,
            f"returnType {shown} is not supported; XDS queries return LeafClass or ObjectRef",
        ) from None


def _return_composed_objects(option: etree._Element) -> bool:
    raw = option.get("returnComposedObjects", "false").strip()
    if raw not in _BOOLEAN:
        raise sender_fault(f"returnComposedObjects {raw!r} is not an xs:boolean")
    return _BOOLEAN[raw]


def parse_adhoc_query_request(payload: etree._Element) -> AdhocQueryRequest:
    expect_root(payload, query("AdhocQueryRequest"))
    option = required_child(payload, query("ResponseOption"))
    adhoc_query = required_child(payload, rim("AdhocQuery"))
    return AdhocQueryRequest(
        query_id=required_attribute(adhoc_query, "id").strip(),
        parameters=tuple(QueryParameter(s.name, s.values) for s in read_slots(adhoc_query)),
        return_type=_return_type(option),
        return_composed_objects=_return_composed_objects(option),
        home_community_id=adhoc_query.get("home"),
        request_slots=read_slot_list(payload, rs("RequestSlotList")),
    )


def build_adhoc_query_request(request: AdhocQueryRequest) -> etree._Element:
    root = root_element(query("AdhocQueryRequest"), "query", "rim", "rs")
    write_slot_list(root, rs("RequestSlotList"), request.request_slots)
    option = etree.SubElement(root, query("ResponseOption"))
    option.set("returnComposedObjects", "true" if request.return_composed_objects else "false")
    option.set("returnType", request.return_type.value)
    adhoc_query = etree.SubElement(root, rim("AdhocQuery"), id=request.query_id)
    if request.home_community_id is not None:
        adhoc_query.set("home", request.home_community_id)
    write_slots(adhoc_query, (RimSlot(p.name, p.values) for p in request.parameters))
    return root


def parse_adhoc_query_response(payload: etree._Element) -> AdhocQueryResponse:
    """Read a response; a missing RegistryObjectList (some peers omit it on failure) is empty."""
    expect_root(payload, query("AdhocQueryResponse"))
    return AdhocQueryResponse(
        status=read_status(payload),
        metadata=metadata_from_rim(read_object_list(payload.find(rim("RegistryObjectList")))),
        errors=read_registry_errors(payload),
    )


def build_adhoc_query_response(response: AdhocQueryResponse) -> etree._Element:
    """LeafClass objects and ObjectRefs as the metadata holds them, after status and errors."""
    root = root_element(query("AdhocQueryResponse"), "query", "rim", "rs")
    write_response_head(root, response.status, response.errors)
    write_object_list(root, metadata_to_rim(response.metadata))
    return root
