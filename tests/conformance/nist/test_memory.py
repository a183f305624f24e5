"""The substitution chain: values that later steps take from earlier sections and other tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conformance.nist.assertions import step_log
from tests.conformance.nist.corpus import transaction_of
from tests.conformance.nist.memory import RunMemory, SectionPlace, StepRecord
from tests.conformance.nist.prepare import Assignments
from tests.conformance.nist.runner import locate_test
from tests.conformance.nist.testplan import Transaction, TransactionKind

NOW = datetime(2026, 3, 4, 10, 30, 5, tzinfo=UTC)
STANDARD = {"$now$": "20260304103005", "$lastyear$": "20250304103005"}
PATIENT = "a1b2c3^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"


def place(testkit: Path, test: str, section: str) -> SectionPlace:
    return SectionPlace(
        test=testkit / test, test_name=test, name=section, directory=testkit / test / section
    )


def remember(
    memory: RunMemory,
    folder: Path,
    step_id: str,
    *,
    assignments: Assignments | None = None,
    reports: dict[str, str] | None = None,
) -> None:
    record = StepRecord(
        log=step_log(step_id, "RegisterTransaction"),
        assignments=assignments or Assignments(),
        reports=reports or {},
    )
    memory.remember(folder, step_id, record)


@pytest.fixture
def memory() -> RunMemory:
    return RunMemory(locate_test)


def test_the_toolkit_fills_now_and_last_year_itself(testkit: Path, memory: RunMemory) -> None:
    null = Transaction(kind=TransactionKind.NULL)
    values, problems = memory.placeholders(null, place(testkit, "11899", "in_updatetime"), NOW)
    assert (values, problems) == (STANDARD, [])


def test_a_report_of_another_test_and_an_id_of_another_section(
    testkit: Path, memory: RunMemory
) -> None:
    """11990: the patient from 15817's feed step, the SubmissionSet uniqueId from ../submit."""
    remember(memory, testkit / "15817" / "pif", "step", reports={"$patientid$": PATIENT})
    submit = transaction_of(testkit, "11990", "submit", "submit")
    values, problems = memory.placeholders(submit, place(testkit, "11990", "submit"), NOW)
    assert problems == []
    assert values == {**STANDARD, "$patientid$": PATIENT}

    assigned = Assignments(unique_ids={"SubmissionSet01": "2.25.1", "Document01": "2.25.2"})
    remember(memory, testkit / "11990" / "submit", "submit", assignments=assigned)
    query = transaction_of(testkit, "11990", "eval", "by_uid")
    values, problems = memory.placeholders(query, place(testkit, "11990", "eval"), NOW)
    assert problems == []
    assert values["$ssuid$"] == "2.25.1"


def test_ids_from_the_shared_data_set_of_another_test(testkit: Path, memory: RunMemory) -> None:
    """11901 takes uuids and uniqueIds from 12346's sections through `../../12346/…`."""
    single = Assignments(uuids={"Document01": "urn:uuid:1"}, unique_ids={"Document01": "2.25.1"})
    two = Assignments(uuids={"Document02": "urn:uuid:2"}, unique_ids={"Document02": "2.25.2"})
    remember(memory, testkit / "12346" / "single_doc", "submit_doc", assignments=single)
    remember(memory, testkit / "12346" / "two_doc_w_fol", "submit_2doc_w_fol", assignments=two)
    both = transaction_of(testkit, "11901", "uuid2", "uuid2")
    values, problems = memory.placeholders(both, place(testkit, "11901", "uuid2"), NOW)
    assert problems == []
    assert {values["$uuid1$"], values["$uuid2$"]} == {"urn:uuid:1", "urn:uuid:2"}


def test_the_patient_id_a_step_assigned(testkit: Path, memory: RunMemory) -> None:
    """11897 queries 12346's patient: `AssignedPatientId` of its SubmissionSet01."""
    assigned = Assignments(patient_ids={"SubmissionSet01": PATIENT, "Document01": PATIENT})
    remember(memory, testkit / "12346" / "single_doc", "submit_doc", assignments=assigned)
    query = transaction_of(testkit, "11897", "approved", "leafclass")
    values, problems = memory.placeholders(query, place(testkit, "11897", "approved"), NOW)
    assert problems == []
    assert values["$patient_id$"] == PATIENT


def test_this_section_and_reports_of_earlier_sections(testkit: Path, memory: RunMemory) -> None:
    """12323: `section="THIS"`, and a report of another section of the same test."""
    section = testkit / "12323" / "verify_time_updated_by_rplc"
    remember(memory, section, "getFolder", reports={"lastUpdateTime": "20260304103009"})
    remember(
        memory,
        testkit / "12323" / "verify_time_updated",
        "verify_time_updated",
        reports={"updated_time": "20260304103004"},
    )
    check = transaction_of(testkit, "12323", section.name, "verify_time_updated_by_rplc")
    values, problems = memory.placeholders(check, place(testkit, "12323", section.name), NOW)
    assert problems == []
    assert values["after_rplc_time"] == "20260304103009"
    assert values["original_time"] == "20260304103004"


def test_what_cannot_be_found_is_said_precisely(testkit: Path, memory: RunMemory) -> None:
    check = transaction_of(testkit, "15800", "query_by_uniqueid", "validate")
    here = place(testkit, "15800", "query_by_uniqueid")
    _, problems = memory.placeholders(check, here, NOW)
    assert problems == [
        f"UseReport orig_uuid: step original in {testkit}/15800/original has not run",
        f"UseReport update_uuid: step update in {testkit}/15800/update has not run",
    ]
    remember(memory, testkit / "15800" / "original", "original", reports={"docid": "x"})
    remember(memory, testkit / "15800" / "update", "update", reports={"update_doc_uuid": "u"})
    values, problems = memory.placeholders(check, here, NOW)
    assert problems == [
        f"UseReport orig_uuid: step original in {testkit}/15800/original filed no report "
        "doc_uuid (it filed: docid)"
    ]
    assert values["update_uuid"] == "u"

    query = transaction_of(testkit, "15800", "query_by_uniqueid", "uniqueid_query")
    remember(memory, testkit / "15800" / "original", "original")
    _, problems = memory.placeholders(query, here, NOW)
    assert problems == [
        f"UseId $uid$: step original in {testkit}/15800/query_by_uniqueid/../original has no "
        "Document01 in AssignedUids"
    ]


def test_a_test_named_by_a_report_is_found_in_the_testkit(testkit: Path) -> None:
    assert locate_test("15817", testkit / "11990") == testkit / "15817"
    assert locate_test("15817", testkit / "_utilities" / "GetAll") == testkit / "15817"
