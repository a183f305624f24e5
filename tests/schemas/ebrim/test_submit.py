from __future__ import annotations

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.submit import (
    build_submit_objects_request,
    parse_submit_objects_request,
    read_submit_objects_request,
    submission_from_rim,
)
from schemas.ebrim.wire import lcm, rs, xdsb
from schemas.model import Slot, SubmitObjectsRequest, XdsMetadata
from schemas.soap import FaultCode, SoapFault
from schemas.xml import parse_xml, to_bytes
from tests.support import xds_samples
from tests.support.xsd import assert_valid


def request() -> SubmitObjectsRequest:
    de = xds_samples.document_entry()
    ss = xds_samples.submission_set()
    return SubmitObjectsRequest(
        metadata=XdsMetadata(
            submission_sets=(ss,),
            document_entries=(de,),
            associations=(xds_samples.has_member(ss.entry_uuid, de.entry_uuid),),
        ),
        request_slots=(Slot("urn:example:request", ("x",)),),
    )


def test_round_trip_is_schema_valid() -> None:
    built = build_submit_objects_request(request())
    assert_valid(built)
    assert built.tag == lcm("SubmitObjectsRequest")
    assert built.find(rs("RequestSlotList")) is not None
    assert parse_submit_objects_request(parse_xml(to_bytes(built))) == request()


def test_reading_in_two_steps_exposes_the_rim_objects_for_validation() -> None:
    built = build_submit_objects_request(request())
    submission = read_submit_objects_request(built)
    assert len(list(submission.object_list.submission_sets())) == 1
    assert submission.request_slots == (Slot("urn:example:request", ("x",)),)
    assert submission_from_rim(submission) == request()


def test_nhn_register_wrapper_is_accepted() -> None:
    wrapper = etree.Element(xdsb("RegisterDocumentSetRequest"), nsmap={"xdsb": v.NS_XDSB})
    wrapper.append(build_submit_objects_request(request()))
    assert parse_submit_objects_request(wrapper) == request()


def test_wrong_root_is_a_sender_fault_naming_both() -> None:
    with pytest.raises(SoapFault) as caught:
        parse_submit_objects_request(etree.Element(lcm("RemoveObjectsRequest")))
    assert caught.value.code is FaultCode.SENDER
    assert "lcm:SubmitObjectsRequest" in caught.value.reason
    assert "lcm:RemoveObjectsRequest" in caught.value.reason


def test_missing_registry_object_list_is_a_sender_fault() -> None:
    with pytest.raises(SoapFault, match="has no rim:RegistryObjectList"):
        parse_submit_objects_request(etree.Element(lcm("SubmitObjectsRequest")))
