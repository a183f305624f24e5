from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from schemas import vocabulary as v
from tests.conformance.nist.assertions import (
    check_assertions,
    evaluate_report,
    section_log,
    step_log,
)
from tests.conformance.nist.corpus import nist_test_folders
from tests.conformance.nist.reader import read_test, read_testplan
from tests.conformance.nist.testplan import Assert, Assertions, DataRef, Report, TestStep

TODAY = date(2026, 3, 4)
QUERY = f'<query:AdhocQueryRequest xmlns:query="{v.NS_QUERY}"/>'
THIS = (DataRef("THIS", "output"),)


def xml(text: str) -> etree._Element:
    return etree.fromstring(text)


def response(*objects: str) -> etree._Element:
    return xml(
        f'<query:AdhocQueryResponse xmlns:query="{v.NS_QUERY}" xmlns:rim="{v.NS_RIM}" '
        f'status="{v.RESPONSE_SUCCESS}"><rim:RegistryObjectList>{"".join(objects)}'
        "</rim:RegistryObjectList></query:AdhocQueryResponse>"
    )


def entry(id_: str, lid: str, version: str, status: str, unique_id: str = "1.2.3") -> str:
    return (
        f'<rim:ExtrinsicObject id="{id_}" lid="{lid}" status="{status}">'
        f'<rim:Name><rim:LocalizedString value="Physical"/></rim:Name>'
        f'<rim:VersionInfo versionName="{version}"/>'
        f'<rim:ExternalIdentifier identificationScheme="{v.DE_UNIQUE_ID}" value="{unique_id}"/>'
        "</rim:ExtrinsicObject>"
    )


def folder(last_update: str) -> str:
    return (
        '<rim:RegistryPackage id="urn:uuid:f"><rim:Slot name="lastUpdateTime"><rim:ValueList>'
        f"<rim:Value>{last_update}</rim:Value></rim:ValueList></rim:Slot></rim:RegistryPackage>"
    )


def plan_step(testkit: Path, plan: str, step_id: str) -> TestStep:
    return read_testplan(testkit / plan / "testplan.xml").step(step_id)


def assertions_of(step: TestStep) -> Assertions:
    assert step.transaction is not None
    assert step.transaction.assertions is not None
    return step.transaction.assertions


def failed(assertions: Assertions, log: etree._Element, **values: str) -> list[str]:
    return [f.check for f in check_assertions(assertions, values, log, TODAY)]


# --------------------------------------------------------------------------- the log


def test_a_step_log_holds_request_and_response_as_nist_logs_them() -> None:
    log = section_log([step_log("by_uid", "StoredQueryTransaction", xml(QUERY), response())])
    assert log.tag == "TestResults"
    path = (
        "/TestResults/TestStep[@id='by_uid']/StoredQueryTransaction/Result"
        "/*[local-name()='AdhocQueryResponse']"
    )
    assert log.xpath(f"count({path})") == 1
    assert log.xpath("count(//InputMetadata/*[local-name()='AdhocQueryRequest'])") == 1
    assert step_log("validate", "NullTransaction")[0].tag == "NullTransaction"


def test_a_report_reads_its_own_step_request_first() -> None:
    """15800: `doc_uuid` over the InputMetadata finds the submitted DocumentEntry, not the
    returned one, and nothing from other steps."""
    request = response(entry("urn:uuid:sent", "urn:uuid:sent", "1", v.STATUS_APPROVED))
    answer = response(entry("urn:uuid:returned", "urn:uuid:x", "1", v.STATUS_APPROVED))
    log = step_log("original", "RegisterTransaction", request, answer)
    report = Report(
        name="doc_uuid",
        section="InputMetadata",
        xpath="\n  //*[local-name()='ExtrinsicObject'][1]/@id\n ",
    )
    assert evaluate_report(report, log) == "urn:uuid:sent"


def test_a_result_report_and_an_empty_one(testkit: Path) -> None:
    step = plan_step(testkit, "12323/verify_no_submission_time", "getFolder")
    assert step.transaction is not None
    (report,) = step.transaction.reports
    log = step_log(step.id, "StoredQueryTransaction", xml(QUERY), response(folder("20260304")))
    assert evaluate_report(report, log) == "20260304"
    empty = step_log(step.id, "StoredQueryTransaction", xml(QUERY), response())
    with pytest.raises(ValueError, match="report lastUpdateTime is empty"):
        evaluate_report(report, empty)
    with pytest.raises(ValueError, match="invalid XPath"):
        evaluate_report(Report(name="bad", section="Result", xpath="//*["), log)


# --------------------------------------------------------------------------- assertions


def test_11990_the_returned_entry_must_be_approved(testkit: Path) -> None:
    assertions = assertions_of(plan_step(testkit, "11990/eval", "verify_availabilityStatus"))
    assert assertions.data_refs == THIS

    def log(status: str) -> etree._Element:
        answer = response(entry("urn:uuid:d", "urn:uuid:d", "1", status))
        by_uid = step_log("by_uid", "StoredQueryTransaction", xml(QUERY), answer)
        return section_log([by_uid, step_log("verify_availabilityStatus", "NullTransaction")])

    assert failed(assertions, log(v.STATUS_APPROVED)) == []
    assert failed(assertions, log(v.STATUS_DEPRECATED)) == ["Assert/availabilityStatus"]


def test_12323_today_over_the_toolkit_log_path(testkit: Path) -> None:
    """The assertion names `//TestStep[@id=…]/StoredQueryTransaction/Result/…` and `$DATE$`."""
    step = plan_step(testkit, "12323/verify_has_submission_time", "verify_has_time_submission")

    def log(last_update: str) -> etree._Element:
        answer = response(folder(last_update))
        return section_log([step_log(step.id, "StoredQueryTransaction", xml(QUERY), answer)])

    assert failed(assertions_of(step), log("20260304101500")) == []
    assert failed(assertions_of(step), log("20240101000000")) == ["Assert/todaysDate"]


def test_12323_values_named_without_dollars_fill_literal_comparisons(testkit: Path) -> None:
    today = assertions_of(
        plan_step(testkit, "12323/verify_no_submission_time", "verify_has_todays_date")
    )
    assert today.data_refs == ()
    assert failed(today, section_log([]), updateTime="20260304093000") == []
    assert failed(today, section_log([]), updateTime="20260303093000") == ["Assert/todaysDate"]

    changed = assertions_of(plan_step(testkit, "12323/verify_time_updated", "validation"))
    same = {"original_folder_time": "20260304093000", "updated_folder_time": "20260304093000"}
    assert failed(changed, section_log([]), **same) == ["Assert/dateUpdated"]
    later = {**same, "updated_folder_time": "20260304093004"}
    assert failed(changed, section_log([]), **later) == []

    increased = assertions_of(
        plan_step(testkit, "12323/verify_time_updated_by_rplc", "verify_time_updated_by_rplc")
    )
    earlier = {"original_time": "20260304093004", "after_rplc_time": "20260304093000"}
    assert failed(increased, section_log([]), **earlier) == ["Assert/dateUpdated"]
    earlier["after_rplc_time"] = "20260304093010"
    assert failed(increased, section_log([]), **earlier) == []


def test_15800_versions_of_an_updated_entry(testkit: Path) -> None:
    assertions = assertions_of(plan_step(testkit, "15800/query_by_uniqueid", "validate"))
    values = {"orig_uuid": "urn:uuid:orig", "update_uuid": "urn:uuid:update"}

    def log(original_status: str, update_status: str) -> etree._Element:
        answer = response(
            entry("urn:uuid:orig", "urn:uuid:orig", "1", original_status),
            entry("urn:uuid:update", "urn:uuid:orig", "2", update_status),
        )
        query = step_log("uniqueid_query", "StoredQueryTransaction", xml(QUERY), answer)
        return section_log([query, step_log("validate", "NullTransaction")])

    assert failed(assertions, log(v.STATUS_DEPRECATED, v.STATUS_APPROVED), **values) == []
    assert failed(assertions, log(v.STATUS_APPROVED, v.STATUS_DEPRECATED), **values) == [
        "Assert/original_is_deprecated",
        "Assert/update_is_approved",
    ]


def test_bad_xpath_and_unknown_data_refs_are_reported() -> None:
    broken = Assertions((), (Assert("broken", "count(//*["),))
    (failure,) = check_assertions(broken, {}, section_log([]), TODAY)
    assert failure.check == "Assert/broken"
    assert failure.detail.startswith("invalid XPath")
    elsewhere = Assertions((DataRef("MGMT/other.xml", "x"),), (Assert("a", "true()"),))
    (failure,) = check_assertions(elsewhere, {}, section_log([]), TODAY)
    assert failure.detail == "DataRef file='MGMT/other.xml': only THIS is supported"


def test_every_assertion_of_the_corpus_is_valid_xpath_once_filled(testkit: Path) -> None:
    placeholder = re.compile(r"\$[A-Za-z0-9_]+\$")
    checked = 0
    for folder_path in nist_test_folders(testkit):
        for section in read_test(folder_path).sections:
            for step in section.plan.steps:
                transaction = step.transaction
                if transaction is None or transaction.assertions is None:
                    continue
                texts = " ".join(a.xpath for a in transaction.assertions.asserts)
                values = dict.fromkeys(placeholder.findall(texts), "1")
                values |= {use.use_as: "1" for use in transaction.use_reports}
                values.pop("$DATE$", None)
                found = check_assertions(transaction.assertions, values, section_log([]), TODAY)
                assert not [f for f in found if "invalid XPath" in f.detail], section.plan.path
                checked += len(transaction.assertions.asserts)
    assert checked >= 30
