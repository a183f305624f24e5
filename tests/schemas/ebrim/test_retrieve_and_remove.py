from __future__ import annotations

import pytest
from lxml import etree

from schemas.ebrim.remove import (
    build_remove_documents_request,
    build_remove_objects_request,
    parse_remove_documents_request,
    parse_remove_objects_request,
)
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_request,
    build_retrieve_document_set_response,
    parse_retrieve_document_set_request,
    parse_retrieve_document_set_response,
)
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import lcm, rmd, xdsb, xop
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode, XdsFailure
from schemas.model import (
    DocumentRequest,
    InlineContent,
    ObjectRef,
    RemoveDocumentsRequest,
    RemoveObjectsRequest,
    RetrievedDocument,
    RetrieveDocumentSetRequest,
    RetrieveDocumentSetResponse,
    Slot,
)
from schemas.soap import SoapFault
from schemas.xml import parse_xml, to_bytes
from tests.support.attachments import AttachmentStore
from tests.support.xsd import assert_valid

REPOSITORY = "2.16.578.1.12.4.5.100.1.1.2"
FIRST = DocumentRequest(
    repository_unique_id=REPOSITORY,
    document_unique_id="2.16.578.1.12.4.5.100.1.1.2.1",
    home_community_id="urn:oid:2.16.578.1.12.4.5.100.1.1",
)
SECOND = DocumentRequest(
    repository_unique_id=REPOSITORY, document_unique_id="2.16.578.1.12.4.5.1.2"
)


def reparse(element: etree._Element) -> etree._Element:
    return parse_xml(to_bytes(element))


def test_retrieve_request_round_trip() -> None:
    request = RetrieveDocumentSetRequest(documents=(FIRST, SECOND))
    built = build_retrieve_document_set_request(request)
    assert_valid(built)
    assert parse_retrieve_document_set_request(reparse(built)) == request


def test_retrieve_request_needs_document_requests_with_ids() -> None:
    with pytest.raises(SoapFault, match="has no xdsb:DocumentRequest"):
        parse_retrieve_document_set_request(etree.Element(xdsb("RetrieveDocumentSetRequest")))
    root = build_retrieve_document_set_request(RetrieveDocumentSetRequest(documents=(SECOND,)))
    request = root[0]
    request.remove(request[0])
    with pytest.raises(SoapFault, match="xdsb:DocumentRequest has no xdsb:RepositoryUniqueId"):
        parse_retrieve_document_set_request(root)


def response() -> RetrieveDocumentSetResponse:
    return RetrieveDocumentSetResponse(
        status=ResponseStatus.PARTIAL_SUCCESS,
        documents=(
            RetrievedDocument(
                repository_unique_id=REPOSITORY,
                document_unique_id=FIRST.document_unique_id,
                home_community_id=FIRST.home_community_id,
                mime_type="application/pdf",
                content=InlineContent(b"%PDF-1.7 synthetic"),
            ),
            RetrievedDocument(
                repository_unique_id=REPOSITORY,
                document_unique_id="on-demand-1",
                new_repository_unique_id=REPOSITORY,
                new_document_unique_id="2.16.578.1.12.4.5.1.9",
                mime_type="text/xml",
                content=InlineContent(b"<ClinicalDocument/>"),
            ),
        ),
        errors=(
            RegistryError(
                code=XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR,
                context="document 2.16.578.1.12.4.5.1.2 is not in this repository",
                location=SECOND.document_unique_id,
            ),
        ),
    )


def test_retrieve_response_inline_round_trip() -> None:
    built = build_retrieve_document_set_response(response())
    assert_valid(built)
    assert parse_retrieve_document_set_response(reparse(built)) == response()


def test_retrieve_response_xop_round_trip() -> None:
    store = AttachmentStore()
    built = build_retrieve_document_set_response(response(), store.attach)
    assert len(list(built.iter(xop("Include")))) == 2
    assert_valid(store.reconstitute(built))
    assert parse_retrieve_document_set_response(reparse(built), store.resolve) == response()


def test_retrieve_response_without_registry_response_is_a_fault() -> None:
    with pytest.raises(SoapFault, match="has no rs:RegistryResponse"):
        parse_retrieve_document_set_response(etree.Element(xdsb("RetrieveDocumentSetResponse")))


def test_remove_objects_round_trip() -> None:
    request = RemoveObjectsRequest(
        object_refs=(ObjectRef("urn:uuid:a"), ObjectRef("urn:uuid:b", "urn:oid:1.2.3")),
        deletion_scope="urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeleteAll",
        request_slots=(Slot("urn:example:why", ("test",)),),
    )
    built = build_remove_objects_request(request)
    assert_valid(built)
    assert parse_remove_objects_request(reparse(built)) == request


def test_remove_objects_without_list_reads_empty_and_adhoc_query_is_refused() -> None:
    root = etree.Element(lcm("RemoveObjectsRequest"))
    assert parse_remove_objects_request(root) == RemoveObjectsRequest(object_refs=())
    etree.SubElement(root, rim("AdhocQuery"), id="urn:uuid:q")
    with pytest.raises(XdsFailure) as caught:
        parse_remove_objects_request(root)
    assert caught.value.errors[0].code == XdsErrorCode.REGISTRY_ERROR


def test_remove_documents_round_trip_validates_against_wsdl_and_nist_schemas() -> None:
    single = RemoveDocumentsRequest(documents=(FIRST,))
    several = RemoveDocumentsRequest(documents=(FIRST, SECOND))
    for request in (single, several):
        built = build_remove_documents_request(request)
        assert built.tag == rmd("RemoveDocumentsRequest")
        assert built[0].tag == xdsb("DocumentRequest")
        assert_valid(built)
        assert parse_remove_documents_request(reparse(built)) == request


def test_remove_documents_needs_a_document_request() -> None:
    with pytest.raises(SoapFault, match="rmd:RemoveDocumentsRequest has no xdsb:DocumentRequest"):
        parse_remove_documents_request(etree.Element(rmd("RemoveDocumentsRequest")))
