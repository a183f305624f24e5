from __future__ import annotations

from dataclasses import replace

import pytest

from schemas import vocabulary as v
from schemas.errors import Severity, XdsFailure
from schemas.validation import (
    DEFAULT_PROFILE,
    IHE_STRICT,
    LENIENT,
    NORWAY,
    Level,
    ProfileName,
    Rule,
    Transaction,
    builtin_profile,
    catalogue_markdown,
    configured_profile,
    parse_overrides,
    rule_catalogue,
    validate_submission,
)
from schemas.validation.messages import TEMPLATES
from tests.support.paths import REPO_ROOT
from tests.support.submissions import replace_object, uuid_for, valid_submission, with_slot

DOC = uuid_for("document-1")


def test_norway_is_the_default_and_every_profile_covers_every_rule() -> None:
    assert DEFAULT_PROFILE is NORWAY
    for profile in (IHE_STRICT, NORWAY, LENIENT):
        assert set(profile.levels) == set(Rule)


def test_profiles_differ_where_the_rules_say() -> None:
    assert IHE_STRICT.level(Rule.NORWAY_PATIENT_ID) is Level.OFF
    assert NORWAY.level(Rule.NORWAY_PATIENT_ID) is Level.ERROR
    assert LENIENT.level(Rule.NORWAY_PATIENT_ID) is Level.OFF
    assert NORWAY.level(Rule.NORWAY_HPR_NUMBER) is Level.WARNING
    assert LENIENT.level(Rule.XCN_MALFORMED) is Level.WARNING
    assert LENIENT.level(Rule.PATIENT_ID_MISMATCH) is Level.ERROR
    for rule in Rule:
        if not rule.id.startswith("norway."):
            assert IHE_STRICT.level(rule) is NORWAY.level(rule) is Level.ERROR, rule


def test_the_valid_baseline_passes_every_profile_and_transaction() -> None:
    for profile in (IHE_STRICT, NORWAY, LENIENT):
        for transaction in (Transaction.REGISTER, Transaction.PROVIDE_AND_REGISTER):
            objects = valid_submission(2, with_folder=True)
            report = validate_submission(objects, transaction, profile)
            assert report.findings == (), (profile.name, transaction, report.findings)


def test_lenient_turns_an_error_into_a_warning_that_still_registers() -> None:
    objects = replace_object(
        valid_submission(), DOC, lambda o: with_slot(o, v.SLOT_SOURCE_PATIENT_INFO, "PID-7|1985x")
    )
    strict = validate_submission(objects, Transaction.REGISTER, IHE_STRICT)
    lenient = validate_submission(objects, Transaction.REGISTER, LENIENT)
    assert not strict.is_valid
    assert lenient.is_valid
    (warning,) = lenient.registry_errors()
    assert warning.severity is Severity.WARNING
    assert warning.code == "XDSRegistryMetadataError"
    assert warning.location == DOC
    assert "sourcePatientInfo 'PID-7|1985x' has no date (YYYYMMDD) in PID-7" in warning.context
    lenient.raise_if_invalid()  # warnings alone do not fail


def test_overrides_relax_and_tighten_single_rules() -> None:
    objects = replace_object(
        valid_submission(), DOC, lambda o: with_slot(o, v.SLOT_SOURCE_PATIENT_INFO, "PID-7|1985x")
    )
    relaxed = NORWAY.with_overrides(parse_overrides("de.source-patient-info.malformed=warning"))
    assert validate_submission(objects, Transaction.REGISTER, relaxed).is_valid
    silenced = NORWAY.with_overrides(parse_overrides("de.source-patient-info.malformed=off"))
    assert validate_submission(objects, Transaction.REGISTER, silenced).findings == ()
    strict_lenient = LENIENT.with_overrides({Rule.DE_SOURCE_PATIENT_INFO_MALFORMED: Level.ERROR})
    report = validate_submission(objects, Transaction.REGISTER, strict_lenient)
    with pytest.raises(XdsFailure) as failure:
        report.raise_if_invalid()
    assert failure.value.errors[0].code == "XDSRegistryMetadataError"
    assert NORWAY.level(Rule.DE_SOURCE_PATIENT_INFO_MALFORMED) is Level.ERROR  # unchanged


def test_parse_overrides() -> None:
    assert parse_overrides(" de.title.too-long = off , norway.hpr-number=ERROR,") == {
        Rule.DE_TITLE_TOO_LONG: Level.OFF,
        Rule.NORWAY_HPR_NUMBER: Level.ERROR,
    }
    assert parse_overrides("") == {}
    with pytest.raises(ValueError, match="is not rule=level"):
        parse_overrides("de.title.too-long")
    with pytest.raises(ValueError, match=r"'loud' is not a level \(error, warning, off\)"):
        parse_overrides("de.title.too-long=loud")
    with pytest.raises(ValueError, match=r"unknown validation rule 'de\.titel'"):
        parse_overrides("de.titel=off")


def test_configured_profile_reads_the_three_settings() -> None:
    assert configured_profile() == NORWAY
    assert configured_profile("", "", "") == NORWAY
    profile = configured_profile("lenient", "norway.patient-id=error", "A00-1, I00-1")
    assert profile.name == ProfileName.LENIENT.value
    assert profile.level(Rule.NORWAY_PATIENT_ID) is Level.ERROR
    assert profile.document_types.class_codes == {"A00-1", "I00-1"}
    assert builtin_profile(" ihe-strict ") == IHE_STRICT
    with pytest.raises(ValueError, match="choose one of ihe-strict, norway, lenient"):
        configured_profile("nordic")


def test_the_document_type_allow_list_is_configurable() -> None:
    journalnotat = replace_object(
        valid_submission(),
        DOC,
        lambda o: replace(
            o,
            classifications=tuple(
                replace(c, node_representation="B02-2" if c.scheme == v.DE_TYPE_CODE else "B00-1")
                if c.scheme in (v.DE_TYPE_CODE, v.DE_CLASS_CODE)
                else c
                for c in o.classifications
            ),
        ),
    )
    report = validate_submission(journalnotat, Transaction.REGISTER, NORWAY)
    assert report.rules == {Rule.NORWAY_DOCUMENT_TYPE}
    wider = configured_profile("norway", document_types="A00-1,B02-2")
    assert validate_submission(journalnotat, Transaction.REGISTER, wider).is_valid


def test_rule_catalogue_is_complete_and_machine_readable() -> None:
    catalogue = rule_catalogue()
    assert [entry.id for entry in catalogue] == [rule.id for rule in Rule]
    hash_missing = next(e for e in catalogue if e.id == "de.hash.missing")
    assert hash_missing.code == "XDSRegistryMetadataError"
    assert hash_missing.transactions == ("ITI-42", "ITI-57", "ITI-18")
    assert set(hash_missing.levels.items()) == {
        ("ihe-strict", "error"),
        ("norway", "error"),
        ("lenient", "error"),
    }
    mismatch = next(e for e in catalogue if e.id == "submission.patient-id-mismatch")
    assert mismatch.code == "XDSPatientIdDoesNotMatch"
    duplicate = next(e for e in catalogue if e.id == "submission.duplicate-unique-id")
    assert duplicate.code == "XDSRegistryDuplicateUniqueIdInMessage"
    extra = next(e for e in catalogue if e.id == "slot.extra-metadata-name")
    assert extra.code == "XDSRegistryError"


def test_docs_hold_the_generated_catalogue() -> None:
    docs = (REPO_ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert catalogue_markdown() in docs, "regenerate the table: catalogue_markdown()"


def test_every_template_belongs_to_a_rule() -> None:
    assert set(TEMPLATES) == {rule.id for rule in Rule}
