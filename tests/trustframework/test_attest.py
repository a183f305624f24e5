"""The attest claim read into the frozen tree, and every kind of problem named."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.support.attests import HPR_OF_GP, attest_claim, changed
from tests.support.people import GP, PATIENT
from trustframework import codes
from trustframework.attest import InvalidAttest, parse_attest
from trustframework.failures import Reason

TOA = 1_780_000_000


def test_full_attest_is_read_into_the_tree() -> None:
    attest = parse_attest(attest_claim(toa=TOA))
    practitioner = attest.practitioner
    assert practitioner.identifier.id == GP
    assert practitioner.identifier.oid == codes.FODSELSNUMMER
    assert practitioner.hpr_nr is not None
    assert practitioner.hpr_nr.id == HPR_OF_GP
    assert practitioner.authorization is not None
    assert practitioner.authorization.code == "LE"
    assert practitioner.legal_entity.name == "OSLO UNIVERSITETSSYKEHUS HF"
    assert practitioner.department is not None
    assert practitioner.department.oid == codes.RESH
    care = attest.care_relationship
    assert care.purpose is codes.PurposeOfUse.TREAT
    assert care.decision_ref.user_selected is True
    assert care.purpose_of_use_details is not None
    assert care.purpose_of_use_details.code == "POLBESOK"
    assert attest.patient_identifier is not None
    assert attest.patient_identifier.id == PATIENT
    assert attest.toa == datetime.fromtimestamp(TOA, UTC)


def test_to_claim_round_trips() -> None:
    attest = parse_attest(attest_claim(toa=TOA))
    assert parse_attest(attest.to_claim()) == attest
    assert parse_attest(json.dumps(attest.to_claim())) == attest


def test_legacy_care_relation_is_tolerated() -> None:
    claim = attest_claim(toa=TOA)
    claim["care_relation"] = claim.pop("care_relationship")
    assert parse_attest(claim).care_relationship.purpose is codes.PurposeOfUse.TREAT


def test_both_spellings_at_once_are_refused() -> None:
    claim = attest_claim(toa=TOA)
    claim["care_relation"] = claim["care_relationship"]
    with pytest.raises(InvalidAttest) as raised:
        parse_attest(claim)
    assert raised.value.reason is Reason.ATTEST_MALFORMED


def test_client_form_without_patient_identifier_is_accepted() -> None:
    attest = parse_attest(attest_claim(toa=TOA, patient=None))
    assert attest.patient_identifier is None
    assert attest.patients[0].point_of_care is not None


def test_bare_oids_are_accepted() -> None:
    claim = changed(attest_claim(toa=TOA), "practitioner.hpr_nr.system", codes.HPR_NUMMER)
    assert parse_attest(claim).practitioner.hpr_nr is not None


def test_unknown_purpose_code_is_read_but_has_no_purpose() -> None:
    attest = parse_attest(attest_claim(toa=TOA, purpose="PATRQT"))
    assert attest.care_relationship.purpose is None


@pytest.mark.parametrize(
    ("path", "value", "reason", "where"),
    [
        ("practitioner", None, Reason.ATTEST_REQUIRED_FIELD_MISSING, "practitioner"),
        (
            "practitioner.identifier",
            None,
            Reason.ATTEST_REQUIRED_FIELD_MISSING,
            "practitioner.identifier",
        ),
        (
            "practitioner.legal_entity.id",
            None,
            Reason.ATTEST_REQUIRED_FIELD_MISSING,
            "practitioner.legal_entity.id",
        ),
        (
            "practitioner.authorization.system",
            "urn:oid:2.16.578.1.12.4.1.1.9999",
            Reason.ATTEST_INVALID_CODE_SYSTEM,
            "practitioner.authorization.system",
        ),
        (
            "practitioner.point_of_care.system",
            "urn:oid:2.16.578.1.12.4.1.4.102",
            Reason.ATTEST_INVALID_CODE_SYSTEM,
            "practitioner.point_of_care.system",
        ),
        (
            "practitioner.identifier.system",
            "urn:oid:2.16.578.1.12.4.1.4.3",
            Reason.ATTEST_INVALID_CODE_SYSTEM,
            "practitioner.identifier.system",
        ),
        (
            "practitioner.identifier.id",
            "123",
            Reason.ATTEST_INVALID_VALUE,
            "practitioner.identifier.id",
        ),
        (
            "practitioner.legal_entity.id",
            "99346704",
            Reason.ATTEST_INVALID_VALUE,
            "practitioner.legal_entity.id",
        ),
        (
            "care_relationship.purpose_of_use.system",
            "urn:oid:1.0.14265.1",
            Reason.ATTEST_INVALID_CODE_SYSTEM,
            "care_relationship.purpose_of_use.system",
        ),
        (
            "care_relationship.purpose_of_use",
            None,
            Reason.ATTEST_REQUIRED_FIELD_MISSING,
            "care_relationship.purpose_of_use",
        ),
        (
            "care_relationship.healthcare_service.system",
            "urn:oid:2.16.578.1.12.4.1.1.9602",
            Reason.ATTEST_INVALID_CODE_SYSTEM,
            "care_relationship.healthcare_service.system",
        ),
        (
            "care_relationship.decision_ref.user_selected",
            "yes",
            Reason.ATTEST_INVALID_VALUE,
            "care_relationship.decision_ref.user_selected",
        ),
        (
            "care_relationship.decision_ref.id",
            None,
            Reason.ATTEST_REQUIRED_FIELD_MISSING,
            "care_relationship.decision_ref.id",
        ),
        (
            "patients.0.identifier.system",
            "urn:oid:1.3.6.1.4.1.21367.2005.3.7",
            Reason.ATTEST_INVALID_CODE_SYSTEM,
            "patients[0].identifier.system",
        ),
        ("patients", {"not": "a list"}, Reason.ATTEST_MALFORMED, "patients"),
        ("toa", None, Reason.ATTEST_REQUIRED_FIELD_MISSING, "toa"),
        ("toa", "1780000000", Reason.ATTEST_INVALID_VALUE, "toa"),
        ("toa", True, Reason.ATTEST_INVALID_VALUE, "toa"),
    ],
)
def test_each_problem_is_named(path: str, value: object, reason: Reason, where: str) -> None:
    with pytest.raises(InvalidAttest) as raised:
        parse_attest(changed(attest_claim(toa=TOA), path, value))
    assert raised.value.reason is reason
    assert raised.value.problems[0].path == where


def test_att43_needs_service_or_details() -> None:
    claim = changed(attest_claim(toa=TOA), "care_relationship.healthcare_service", None)
    claim = changed(claim, "care_relationship.purpose_of_use_details", None)
    with pytest.raises(InvalidAttest) as raised:
        parse_attest(claim)
    assert raised.value.reason is Reason.ATTEST_REQUIRED_FIELD_MISSING
    assert "ATT-43" in str(raised.value)


def test_every_problem_is_listed() -> None:
    claim = changed(attest_claim(toa=TOA), "toa", None)
    claim = changed(claim, "practitioner.identifier.system", "urn:oid:9.9")
    with pytest.raises(InvalidAttest) as raised:
        parse_attest(claim)
    assert [p.path for p in raised.value.problems] == ["practitioner.identifier.system", "toa"]


@pytest.mark.parametrize("claim", ["not json", "[1, 2]", 42, None])
def test_a_claim_that_is_no_object_is_malformed(claim: object) -> None:
    with pytest.raises(InvalidAttest) as raised:
        parse_attest(claim)
    assert raised.value.reason is Reason.ATTEST_MALFORMED


def test_a_deployment_may_add_patient_authorities() -> None:
    nist = "1.3.6.1.4.1.21367.2005.3.7"
    claim = changed(
        attest_claim(toa=TOA),
        "patients.0.identifier",
        {"id": "76cc765a442f410", "system": "urn:oid:" + nist},
    )
    attest = parse_attest(claim, patient_id_systems=codes.NATIONAL_PERSON_IDS | {nist})
    assert attest.patient_identifier is not None
    assert attest.patient_identifier.oid == nist
