from __future__ import annotations

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.query import (
    build_adhoc_query_request,
    build_adhoc_query_response,
    parse_adhoc_query_request,
    parse_adhoc_query_response,
)
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import query
from schemas.errors import RegistryError, ResponseStatus, Severity, XdsErrorCode, XdsFailure
from schemas.model import (
    AdhocQueryRequest,
    AdhocQueryResponse,
    ObjectRef,
    QueryParameter,
    ReturnType,
    Slot,
    XdsMetadata,
)
from schemas.soap import SoapFault
from schemas.xml import parse_xml, to_bytes
from tests.support import xds_samples
from tests.support.xsd import assert_valid

FIND_DOCUMENTS = AdhocQueryRequest(
    query_id=v.QUERY_FIND_DOCUMENTS,
    parameters=(
        QueryParameter(
            "$XDSDocumentEntryPatientId", ("'15838510075^^^&2.16.578.1.12.4.1.4.1&ISO'",)
        ),
        QueryParameter(
            "$XDSDocumentEntryStatus", ("('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')",)
        ),
        QueryParameter(
            "$XDSDocumentEntryConfidentialityCode", ("('N^^2.16.840.1.113883.5.25')", "('R^^x')")
        ),
        QueryParameter("$XDSDocumentEntryCreationTimeFrom", ("20240101",)),
    ),
    return_type=ReturnType.OBJECT_REF,
    return_composed_objects=False,
    home_community_id="urn:oid:2.16.578.1.12.4.5.100.1.1",
    request_slots=(Slot("urn:example:trace", ("1",)),),
)


def reparse(element: etree._Element) -> etree._Element:
    return parse_xml(to_bytes(element))


def test_request_round_trip_keeps_raw_values() -> None:
    built = build_adhoc_query_request(FIND_DOCUMENTS)
    assert_valid(built)
    assert parse_adhoc_query_request(reparse(built)) == FIND_DOCUMENTS
    assert FIND_DOCUMENTS.values_of("$XDSDocumentEntryConfidentialityCode") == (
        "('N^^2.16.840.1.113883.5.25')",
        "('R^^x')",
    )


def request_element(**option: str) -> etree._Element:
    root = build_adhoc_query_request(AdhocQueryRequest(query_id=v.QUERY_GET_ALL))
    response_option = root.find(query("ResponseOption"))
    assert response_option is not None
    for name in ("returnType", "returnComposedObjects"):
        del response_option.attrib[name]
    for name, value in option.items():
        response_option.set(name, value)
    return root


def test_response_option_defaults_follow_the_xsd() -> None:
    parsed = parse_adhoc_query_request(request_element(returnType="LeafClass"))
    assert parsed.return_composed_objects is False
    assert parse_adhoc_query_request(
        request_element(returnType="ObjectRef", returnComposedObjects="1")
    ).return_composed_objects


@pytest.mark.parametrize("option", [{}, {"returnType": "RegistryObject"}])
def test_return_types_xds_does_not_define_fail_with_registry_error(option: dict[str, str]) -> None:
    with pytest.raises(XdsFailure) as caught:
        parse_adhoc_query_request(request_element(**option))
    (error,) = caught.value.errors
    assert error.code == XdsErrorCode.REGISTRY_ERROR
    assert "returnType" in error.context


def test_malformed_request_structure_is_a_sender_fault() -> None:
    with pytest.raises(SoapFault, match="is not an xs:boolean"):
        parse_adhoc_query_request(
            request_element(returnType="LeafClass", returnComposedObjects="yes")
        )
    root = request_element(returnType="LeafClass")
    adhoc = root.find(rim("AdhocQuery"))
    assert adhoc is not None
    del adhoc.attrib["id"]
    with pytest.raises(SoapFault, match="rim:AdhocQuery has no id attribute"):
        parse_adhoc_query_request(root)
    root.remove(adhoc)
    with pytest.raises(SoapFault, match="has no rim:AdhocQuery"):
        parse_adhoc_query_request(root)


def test_leaf_class_response_round_trip() -> None:
    de = xds_samples.document_entry()
    ss = xds_samples.submission_set()
    response = AdhocQueryResponse(
        status=ResponseStatus.SUCCESS,
        metadata=XdsMetadata(
            submission_sets=(ss,),
            document_entries=(de,),
            folders=(xds_samples.folder(),),
            associations=(xds_samples.has_member(ss.entry_uuid, de.entry_uuid),),
        ),
    )
    built = build_adhoc_query_response(response)
    assert_valid(built)
    assert parse_adhoc_query_response(reparse(built)) == response


def test_object_ref_response_holds_only_object_refs() -> None:
    response = AdhocQueryResponse(
        status=ResponseStatus.SUCCESS,
        metadata=XdsMetadata(
            object_refs=(ObjectRef("urn:uuid:a"), ObjectRef("urn:uuid:b", "urn:oid:1.2"))
        ),
    )
    built = build_adhoc_query_response(response)
    assert_valid(built)
    object_list = built.find(rim("RegistryObjectList"))
    assert object_list is not None
    assert [etree.QName(c).localname for c in object_list] == ["ObjectRef", "ObjectRef"]
    assert parse_adhoc_query_response(reparse(built)) == response


def test_failure_response_with_errors_and_empty_object_list() -> None:
    response = AdhocQueryResponse(
        status=ResponseStatus.FAILURE,
        errors=(
            RegistryError(
                code=XdsErrorCode.STORED_QUERY_MISSING_PARAM,
                context="$XDSDocumentEntryPatientId missing",
                location="FindDocuments",
            ),
            RegistryError(
                code=XdsErrorCode.TOO_MANY_RESULTS, context="capped", severity=Severity.WARNING
            ),
        ),
    )
    built = build_adhoc_query_response(response)
    assert_valid(built)
    assert built.find(rim("RegistryObjectList")) is not None  # required by query.xsd, even empty
    assert parse_adhoc_query_response(reparse(built)) == response


def test_response_without_object_list_reads_as_empty() -> None:
    root = etree.Element(query("AdhocQueryResponse"), status=v.RESPONSE_SUCCESS)
    assert parse_adhoc_query_response(root) == AdhocQueryResponse(status=ResponseStatus.SUCCESS)
