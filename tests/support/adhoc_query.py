"""A test-only reader of `query:AdhocQueryRequest` XML into `schemas.model.AdhocQueryRequest`.

It stands in for the AdhocQueryRequest codec being written on the `codecs` branch; once that is
merged, the tests should use the codec and this module should go.
"""

from __future__ import annotations

from schemas import vocabulary as v
from schemas.model import AdhocQueryRequest, QueryParameter, ReturnType
from schemas.xml import parse_xml


def read_adhoc_query_request(data: bytes) -> AdhocQueryRequest:
    root = parse_xml(data)
    option = root.find(f"{{{v.NS_QUERY}}}ResponseOption")
    query = root.find(f"{{{v.NS_RIM}}}AdhocQuery")
    if option is None or query is None:
        raise ValueError("not an AdhocQueryRequest with ResponseOption and AdhocQuery")
    parameters = tuple(
        QueryParameter(
            slot.get("name", ""),
            tuple(value.text or "" for value in slot.iterfind(f"{{{v.NS_RIM}}}ValueList/*")),
        )
        for slot in query.iterfind(f"{{{v.NS_RIM}}}Slot")
    )
    return AdhocQueryRequest(
        query_id=query.get("id", ""),
        parameters=parameters,
        return_type=ReturnType(option.get("returnType", v.RETURN_TYPE_LEAF_CLASS)),
        return_composed_objects=option.get("returnComposedObjects", "false") == "true",
        home_community_id=query.get("home"),
    )
