"""Every ebRS 3.0 message of the conformance corpus survives parse → build → parse unchanged,
and what we build is valid against the official XSDs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree

from schemas.ebrim.provide import (
    build_provide_and_register_request,
    parse_provide_and_register_request,
)
from schemas.ebrim.query import (
    build_adhoc_query_request,
    build_adhoc_query_response,
    parse_adhoc_query_request,
    parse_adhoc_query_response,
)
from schemas.ebrim.remove import (
    build_remove_documents_request,
    build_remove_objects_request,
    parse_remove_documents_request,
    parse_remove_objects_request,
)
from schemas.ebrim.response import build_registry_response, parse_registry_response
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_request,
    build_retrieve_document_set_response,
    parse_retrieve_document_set_request,
    parse_retrieve_document_set_response,
)
from schemas.ebrim.submit import build_submit_objects_request, parse_submit_objects_request
from schemas.ebrim.wire import lcm, query, rmd, rs, xdsb
from schemas.xml import parse_xml, to_bytes
from tests.support.corpus import (
    EBRS21,
    NOT_EBXML,
    NOT_WELL_FORMED,
    TESTPLAN,
    CorpusMessage,
    ebrs_corpus,
)
from tests.support.xsd import assert_valid


@dataclass(frozen=True, slots=True)
class Codec:
    parse: Callable[[etree._Element], Any]
    build: Callable[[Any], etree._Element]


SUBMIT = Codec(parse_submit_objects_request, build_submit_objects_request)
CODECS = {
    lcm("SubmitObjectsRequest"): SUBMIT,
    xdsb("RegisterDocumentSetRequest"): SUBMIT,  # the NHN gateway's wrapper
    xdsb("ProvideAndRegisterDocumentSetRequest"): Codec(
        parse_provide_and_register_request, build_provide_and_register_request
    ),
    query("AdhocQueryRequest"): Codec(parse_adhoc_query_request, build_adhoc_query_request),
    query("AdhocQueryResponse"): Codec(parse_adhoc_query_response, build_adhoc_query_response),
    rs("RegistryResponse"): Codec(parse_registry_response, build_registry_response),
    xdsb("RetrieveDocumentSetRequest"): Codec(
        parse_retrieve_document_set_request, build_retrieve_document_set_request
    ),
    xdsb("RetrieveDocumentSetResponse"): Codec(
        parse_retrieve_document_set_response, build_retrieve_document_set_response
    ),
    lcm("RemoveObjectsRequest"): Codec(parse_remove_objects_request, build_remove_objects_request),
    rmd("RemoveDocumentsRequest"): Codec(
        parse_remove_documents_request, build_remove_documents_request
    ),
}

MESSAGES, SKIPPED = ebrs_corpus(frozenset(CODECS))


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.name)
def test_round_trip_is_stable_and_schema_valid(message: CorpusMessage) -> None:
    codec = CODECS[message.payload.tag]
    domain = codec.parse(message.payload)
    built = codec.build(domain)
    assert_valid(built)
    wire = to_bytes(built)
    again = codec.parse(parse_xml(wire))
    assert again == domain
    assert to_bytes(codec.build(again)) == wire


def test_corpus_inventory() -> None:
    """Which files the round trip covers, and why each other file is left out."""
    by_reason = Counter(skip.reason for skip in SKIPPED)
    assert set(by_reason) <= {NOT_WELL_FORMED, TESTPLAN, EBRS21, NOT_EBXML}
    assert {s.name for s in SKIPPED if s.reason == NOT_WELL_FORMED} == {
        "nist-testkit/12346/metadata.xml",  # an empty file
        "samples/dcm4chee-xds2-registry-ws/SubmitObjectsRequest_AssociationTypeScheme.xml",
    }
    not_xds = {etree.QName(s.detail).localname for s in SKIPPED if s.reason == NOT_EBXML}
    assert not_xds == {"Assertion", "a"}  # SAML tokens, a NIST document payload
    covered = Counter(etree.QName(m.payload).localname for m in MESSAGES)
    assert set(covered) == {
        "AdhocQueryRequest",
        "SubmitObjectsRequest",
        "RegisterDocumentSetRequest",
        "ProvideAndRegisterDocumentSetRequest",
        "RetrieveDocumentSetRequest",
        "RemoveObjectsRequest",
        "RemoveDocumentsRequest",
    }
    assert covered["AdhocQueryRequest"] >= 170
    assert covered["SubmitObjectsRequest"] >= 26
