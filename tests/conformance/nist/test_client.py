from __future__ import annotations

import pytest
from lxml import etree

from schemas import vocabulary as v
from tests.conformance.nist.client import (
    Access,
    Endpoints,
    NoCredentials,
    XdsClient,
    default_patient_feed,
)
from tests.conformance.nist.fake_xds import RunningFake


@pytest.mark.parametrize(
    ("registry", "feed"),
    [
        ("http://127.0.0.1:8010/xds/registry", "http://127.0.0.1:8010/admin/patients"),
        ("https://gateway.example/nhn/xds/registry/", "https://gateway.example/nhn/admin/patients"),
        ("http://registry.example/soap?wsdl", "http://registry.example/admin/patients"),
    ],
)
def test_the_patient_feed_sits_beside_the_registry_endpoint(registry: str, feed: str) -> None:
    assert default_patient_feed(registry) == feed
    assert Endpoints.of(registry, "http://r/xds/repository").patient_feed == feed
    assert (
        Endpoints.of(registry, "x", "http://feed.example/p").patient_feed == "http://feed.example/p"
    )


def test_an_answer_that_is_not_soap_is_a_problem_with_an_excerpt(fake: RunningFake) -> None:
    client = XdsClient(Endpoints.of(fake.registry, fake.repository), NoCredentials())
    query = etree.Element(f"{{{v.NS_QUERY}}}AdhocQueryRequest")
    exchange = client.soap(
        f"{fake.base_url}/elsewhere", v.ACTION_STORED_QUERY, query, Access.READ_METADATA
    )
    assert exchange.http_status == 404
    assert exchange.payload is None
    assert exchange.fault is None
    assert exchange.problem is not None
    assert exchange.problem.startswith("HTTP 404 without a readable SOAP 1.2 answer")
    assert "Not Found" in exchange.problem


def test_without_credentials_no_authorization_is_sent(fake: RunningFake) -> None:
    client = XdsClient(Endpoints.of(fake.registry, fake.repository), NoCredentials())
    answer = client.feed_patient("p1^^^&1.3.6.1.4.1.21367.2005.3.7&ISO")
    assert answer.accepted
    assert answer.http_status == 201
    assert fake.state.authorizations == [None]
    assert fake.state.patients == {"p1^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"}
