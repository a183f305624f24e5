from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import XML_LANG
from schemas.xml import parse_xml
from tests.conformance.nist.corpus import nist_testkit, xml_files_with_root
from tests.conformance.nist.prepare import (
    IdAllocator,
    SubmissionOptions,
    placeholders_in,
    prepare_submission,
)
from tests.conformance.nist.translate import TranslationError, translate_to_v3
from tests.support.paths import conformance_dir
from tests.support.xsd import schema_errors

SUBMISSIONS = xml_files_with_root(nist_testkit(conformance_dir()), "SubmitObjectsRequest")
PATIENT_ID = "15838512329^^^&2.16.578.1.12.4.1.4.1&ISO"
RS21 = f"{{{v.NS_RS21}}}"


def rim(tag: str) -> str:
    return f"{{{v.NS_RIM}}}{tag}"


def read(path: Path) -> etree._Element:
    return parse_xml(path.read_bytes())


def name_of(path: Path) -> str:
    return str(path.relative_to(nist_testkit(conformance_dir())))


def test_the_corpus_holds_72_submissions_mostly_in_ebrs21() -> None:
    namespaces = [etree.QName(read(path)).namespace for path in SUBMISSIONS]
    assert (namespaces.count(v.NS_RS21), namespaces.count(v.NS_LCM)) == (70, 2)


@pytest.mark.parametrize("path", SUBMISSIONS, ids=name_of)
def test_every_submission_translates_to_valid_ebrs30(path: Path) -> None:
    source = read(path)
    if etree.QName(source).namespace == v.NS_RS21:
        assert schema_errors(source), "ebRS 2.1 as it is does not validate"
    assert schema_errors(translate_to_v3(source)) == []

    ids = IdAllocator(run="translate-test")
    placeholders = {name: ids.uuid(name) for name in placeholders_in(source)}
    options = SubmissionOptions(
        placeholders=placeholders, patient_id=PATIENT_ID, assign_uuids=True, scope=name_of(path)
    )
    prepared = prepare_submission(source, options, ids).request
    assert schema_errors(prepared) == []
    assert placeholders_in(prepared) == set()


@pytest.fixture(scope="module")
def replacement(conformance: Path) -> etree._Element:
    """11992 rplc: a DocumentEntry, a SubmissionSet, a HasMember and an RPLC association."""
    return translate_to_v3(read(nist_testkit(conformance) / "11992/rplc/metadata.xml"))


def test_the_request_and_its_list_are_ebrs30(replacement: etree._Element) -> None:
    assert replacement.tag == f"{{{v.NS_LCM}}}SubmitObjectsRequest"
    assert [child.tag for child in replacement] == [rim("RegistryObjectList")]
    namespaces = {etree.QName(e).namespace for e in replacement.iter(tag=etree.Element)}
    assert namespaces == {v.NS_LCM, v.NS_RIM}


def test_object_refs_are_dropped(replacement: etree._Element) -> None:
    assert replacement.find(f".//{rim('ObjectRef')}") is None


def test_association_types_become_urns(replacement: etree._Element) -> None:
    types = {a.get("associationType") for a in replacement.iter(rim("Association"))}
    assert types == {v.ASSOC_HAS_MEMBER, v.ASSOC_REPLACE}


def test_every_object_has_an_id_and_an_object_type(replacement: etree._Element) -> None:
    objects = [
        e
        for e in replacement.iter(tag=etree.Element)
        if etree.QName(e).localname
        in {
            "ExtrinsicObject",
            "RegistryPackage",
            "Association",
            "Classification",
            "ExternalIdentifier",
        }
    ]
    assert all(e.get("id") for e in objects)
    assert all(e.get("objectType") for e in objects)
    ids = [e.get("id") for e in objects]
    assert len(ids) == len(set(ids))
    package = replacement.find(f".//{rim('RegistryPackage')}")
    assert package is not None
    assert package.get("objectType") == v.OBJECT_TYPE_REGISTRY_PACKAGE


def test_nested_objects_point_at_their_owner(replacement: etree._Element) -> None:
    for owner in replacement.iter(rim("ExtrinsicObject"), rim("RegistryPackage")):
        for identifier in owner.iterchildren(rim("ExternalIdentifier")):
            assert identifier.get("registryObject") == owner.get("id")
            assert identifier.get("objectType") == v.OBJECT_TYPE_EXTERNAL_IDENTIFIER
        for classification in owner.iterchildren(rim("Classification")):
            assert classification.get("classifiedObject") == owner.get("id")


def test_children_follow_the_ebrs30_order(replacement: etree._Element) -> None:
    document = replacement.find(f".//{rim('ExtrinsicObject')}")
    assert document is not None
    order = [etree.QName(child).localname for child in document]
    first_name = order.index("Name")
    assert set(order[:first_name]) == {"Slot"}
    assert order[first_name : first_name + 2] == ["Name", "Description"]
    assert order.index("ExternalIdentifier") > max(
        i for i, tag in enumerate(order) if tag == "Classification"
    )


def synthetic(objects: str) -> etree._Element:
    return etree.fromstring(
        f'<rs:SubmitObjectsRequest xmlns:rs="{v.NS_RS21}" xmlns:rim="{v.NS_RIM21}">'
        f"<rim:LeafRegistryObjectList>{objects}</rim:LeafRegistryObjectList>"
        "</rs:SubmitObjectsRequest>"
    )


def test_ebrs21_only_attributes_are_carried_over() -> None:
    translated = translate_to_v3(
        synthetic(
            '<rim:RegistryPackage id="Folder" status="Approved" majorVersion="1" minorVersion="0">'
            '<rim:Name><rim:LocalizedString lang="nb-NO" value="Mappe"/></rim:Name>'
            "</rim:RegistryPackage>"
            '<rim:Association id="a" associationType="urn:ihe:iti:2007:AssociationType:XFRM"'
            ' sourceObject="x" targetObject="y"/>'
        )
    )
    package, association = translated[0]
    assert package.get("status") == v.STATUS_APPROVED
    assert package.get("majorVersion") is None
    assert package.get("minorVersion") is None
    localized = package.find(f"{rim('Name')}/{rim('LocalizedString')}")
    assert localized is not None
    assert localized.get(XML_LANG) == "nb-NO"
    assert association.get("associationType") == v.ASSOC_TRANSFORM


def test_generated_ids_avoid_the_ones_in_use() -> None:
    translated = translate_to_v3(
        synthetic(
            '<rim:Association id="id_1" associationType="HasMember" sourceObject="a"'
            ' targetObject="b"/>'
            '<rim:Association associationType="signs" sourceObject="a" targetObject="b"/>'
        )
    )
    assert [a.get("id") for a in translated[0]] == ["id_1", "id_2"]
    assert translated[0][1].get("associationType") == v.ASSOC_SIGNS


def test_translating_ebrs30_again_changes_nothing(replacement: etree._Element) -> None:
    assert etree.tostring(translate_to_v3(replacement)) == etree.tostring(replacement)


@pytest.mark.parametrize(
    ("request_xml", "problem"),
    [
        (
            synthetic(
                '<rim:Association associationType="Nonsense" sourceObject="a" targetObject="b"/>'
            ),
            "unknown ebRS 2.1 association type 'Nonsense'",
        ),
        (synthetic('<rim:ExtrinsicObject id="d"><rim:Bogus/></rim:ExtrinsicObject>'), "Bogus"),
        (synthetic("<rim:Federation/>"), "unexpected <Federation>"),
        (
            etree.fromstring(f'<rs:RegistryResponse xmlns:rs="{v.NS_RS}"/>'),
            "not a SubmitObjectsRequest",
        ),
        (etree.fromstring(f'<rs:SubmitObjectsRequest xmlns:rs="{v.NS_RS21}"/>'), "exactly one"),
    ],
)
def test_what_cannot_be_translated_is_refused(request_xml: etree._Element, problem: str) -> None:
    with pytest.raises(TranslationError, match=problem):
        translate_to_v3(request_xml)
