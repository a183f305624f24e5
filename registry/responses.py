"""The AdhocQueryResponse of a successful stored query, assembled from the stored objects' bytes.

A LeafClass response is the pre-rendered XML of each object, spliced as it is into the
`rim:RegistryObjectList`: nothing is parsed or rendered again per request. (Each object declares
the `rim` namespace itself, which the response root declares too; XML allows the repetition.)
A failed query is answered with `schemas.ebrim.query.build_adhoc_query_response` as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from lxml import etree

from registry.services.queries import QueryResult
from schemas.ebrim.response import write_response_head
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import query, root_element
from schemas.errors import RegistryError, ResponseStatus, Severity
from schemas.model import ReturnType

_EMPTY_LIST: Final = b"<rim:RegistryObjectList/>"


def query_response_body(result: QueryResult, warnings: Sequence[RegistryError] = ()) -> bytes:
    """The `query:AdhocQueryResponse` (UTF-8, no declaration) with `result`, status Success.

    `warnings` (severity Warning, e.g. parameters the query ignored) go in its
    RegistryErrorList.
    """
    if any(w.severity is not Severity.WARNING for w in warnings):
        raise ValueError("a successful query response carries warnings only")
    root = root_element(query("AdhocQueryResponse"), "query", "rim", "rs")
    write_response_head(root, ResponseStatus.SUCCESS, tuple(warnings))
    object_list = etree.SubElement(root, rim("RegistryObjectList"))
    if result.return_type is ReturnType.OBJECT_REF:
        for found in result.objects:
            etree.SubElement(object_list, rim("ObjectRef"), id=found.entry_uuid)
        return etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    head, empty, tail = etree.tostring(root, encoding="UTF-8", xml_declaration=False).rpartition(
        _EMPTY_LIST
    )
    if not empty:
        raise RuntimeError("the response head did not end in an empty RegistryObjectList")
    objects = b"".join(found.xml for found in result.objects)
    return b"%s<rim:RegistryObjectList>%s</rim:RegistryObjectList>%s" % (head, objects, tail)
