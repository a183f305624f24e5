"""SOAP requests to the registry, built with the project's own codecs, for the HTTP tests."""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.query import build_adhoc_query_request
from schemas.ebrim.remove import build_remove_objects_request
from schemas.ebrim.rim import RimObjectList
from schemas.ebrim.submit import RimSubmission, build_submit_objects_request, submission_from_rim
from schemas.model import (
    AdhocQueryRequest,
    ObjectRef,
    QueryParameter,
    RemoveObjectsRequest,
    ReturnType,
)
from schemas.soap import build_request
from schemas.xml import parse_xml, to_bytes
from tests.support.submissions import UNIQUE_ID_ROOT

_ID = re.compile(r'\bid="(urn:uuid:[0-9a-f-]{36})"')
_UNIQUE_ID = re.compile(re.escape(UNIQUE_ID_ROOT) + r"\.\d+")


def submission_element(
    objects: RimObjectList, *, renew: bool = True, keep: Collection[str] = ()
) -> etree._Element:
    """An `lcm:SubmitObjectsRequest` of `objects`; with `renew`, every object id and uniqueId of
    the test data (but those in `keep`) is replaced by a fresh one, so the same data registers
    again and again."""
    element = build_submit_objects_request(submission_from_rim(RimSubmission(object_list=objects)))
    if not renew:
        return element
    text = to_bytes(element).decode()
    fresh = {old: f"urn:uuid:{uuid.uuid4()}" for old in set(_ID.findall(text))}
    for old, new in fresh.items():
        text = text.replace(old, new)
    text = _UNIQUE_ID.sub(
        lambda match: match[0] if match[0] in keep else f"2.25.{uuid.uuid4().int}", text
    )
    return parse_xml(text.encode())


def stored_query(
    query_id: str,
    parameters: dict[str, list[str]],
    return_type: ReturnType = ReturnType.LEAF_CLASS,
) -> etree._Element:
    return build_adhoc_query_request(
        AdhocQueryRequest(
            query_id=query_id,
            parameters=tuple(
                QueryParameter(name, tuple(values)) for name, values in parameters.items()
            ),
            return_type=return_type,
        )
    )


def find_documents(patient: str, return_type: ReturnType = ReturnType.LEAF_CLASS) -> etree._Element:
    return stored_query(
        v.QUERY_FIND_DOCUMENTS,
        {
            "$XDSDocumentEntryPatientId": [f"'{patient}'"],
            "$XDSDocumentEntryStatus": [f"('{v.STATUS_APPROVED}')"],
        },
        return_type,
    )


def by_uuids(query_id: str, parameter: str, uuids: list[str]) -> etree._Element:
    quoted = ",".join(f"'{u}'" for u in uuids)
    return stored_query(query_id, {parameter: [f"({quoted})"]})


def remove_objects(uuids: list[str]) -> etree._Element:
    request = RemoveObjectsRequest(object_refs=tuple(ObjectRef(id=u) for u in uuids))
    return build_remove_objects_request(request)


def envelope(action: str, payload: etree._Element) -> bytes:
    return build_request(action, payload)
