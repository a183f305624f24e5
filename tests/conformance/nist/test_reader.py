from __future__ import annotations

from pathlib import Path

import pytest

from schemas.errors import ResponseStatus
from tests.conformance.nist.corpus import nist_test_folders
from tests.conformance.nist.reader import (
    IGNORED_ELEMENTS,
    TESTPLAN,
    TestkitError,
    read_test,
    read_testplan,
)
from tests.conformance.nist.testplan import (
    Assert,
    AssignedSection,
    ContentCheck,
    DataRef,
    DocumentFile,
    ExpectedContent,
    IgnoredElement,
    ReferenceDocument,
    ReferenceMetadata,
    Rule,
    TestDefinition,
    TransactionKind,
    UseId,
    UseReport,
)


@pytest.fixture(scope="module")
def tests(testkit: Path) -> dict[str, TestDefinition]:
    return {
        str(folder.relative_to(testkit)): read_test(folder) for folder in nist_test_folders(testkit)
    }


# --------------------------------------------------------------------------- the whole corpus


def test_every_testplan_in_the_corpus_loads(testkit: Path) -> None:
    plans = sorted(testkit.rglob(TESTPLAN))
    assert len(plans) == 199
    for path in plans:
        assert read_testplan(path).steps, path


def test_every_test_folder_loads_with_its_sections_in_index_order(
    testkit: Path, tests: dict[str, TestDefinition]
) -> None:
    assert len(tests) == 79
    for name, test in tests.items():
        index = test.path / "index.idx"
        if index.is_file():
            assert [s.name for s in test.sections] == index.read_text().split(), name
        else:
            assert [s.name for s in test.sections] == [""], name
    reached = {s.plan.path for t in tests.values() for s in t.sections}
    reached |= {path for t in tests.values() for path in t.unlisted}
    assert reached == set(testkit.rglob(TESTPLAN))


def test_the_testplans_no_index_runs_are_known(tests: dict[str, TestDefinition]) -> None:
    unlisted = {
        str(path.relative_to(test.path.parent)) for test in tests.values() for path in test.unlisted
    }
    assert unlisted == {
        "11897/no_matching_classcode/testplan.xml",
        "11966/patientFeed/testplan.xml",
        "11979/patientFeed/testplan.xml",
        "12346/testplan.xml",
        "12346/patient_identity_feed/testplan.xml",
    }


def test_only_the_listed_elements_are_ignored(tests: dict[str, TestDefinition]) -> None:
    ignored = {
        element.name
        for test in tests.values()
        for section in test.sections
        for step in section.plan.steps
        if step.transaction is not None
        for element in step.transaction.ignored
    }
    assert ignored == set(IGNORED_ELEMENTS)
    assert all(len(reason) > 40 for reason in IGNORED_ELEMENTS.values())


def test_every_transaction_kind_occurs(tests: dict[str, TestDefinition]) -> None:
    kinds = {
        step.transaction.kind
        for test in tests.values()
        for section in test.sections
        for step in section.plan.steps
        if step.transaction is not None
    }
    assert kinds == set(TransactionKind)


# --------------------------------------------------------------------------- spot checks


def test_a_stored_query_step(tests: dict[str, TestDefinition], testkit: Path) -> None:
    plan = tests["11897"].section("classcode_scheme_mismatch").plan
    (step,) = plan.steps
    assert step.expects_failure
    assert step.rules == (
        Rule(
            transaction="SQ",
            stored_query="FindDocuments",
            assertion="Classcode code and scheme number mismatch (second code has no scheme) "
            "which is invalid",
        ),
    )
    transaction = step.transaction
    assert transaction is not None
    assert transaction.kind is TransactionKind.STORED_QUERY
    assert transaction.xdsb
    assert transaction.metadata_file == testkit / "11897/classcode_scheme_mismatch/query.xml"
    assert transaction.use_ids == (
        UseId(
            id="SubmissionSet01",
            symbol="$patient_id$",
            section=AssignedSection.PATIENT_ID,
            step="submit_doc",
            testdir="../../12346/single_doc",
        ),
    )
    assert transaction.expected_contents == (ExpectedContent(ContentCheck.NONE),)


def test_a_provide_and_register_step(tests: dict[str, TestDefinition], testkit: Path) -> None:
    step = tests["12029"].section("submit").plan.step("submit")
    assert step.expected_statuses == (ResponseStatus.SUCCESS,)
    assert step.transaction is not None
    assert step.transaction.kind is TransactionKind.PROVIDE_AND_REGISTER
    assert step.transaction.documents == (
        DocumentFile("Document01", testkit / "12029/submit/readme.txt"),
    )
    assert step.transaction.assign_unique_ids
    assert not step.transaction.no_patient_id


def test_expected_errors_and_patient_id_flags(tests: dict[str, TestDefinition]) -> None:
    unknown_patient = tests["11996"].section("submit").plan.step("submit")
    assert unknown_patient.alt_patient_id
    assert unknown_patient.expected_error_message == "XDSUnknownPatientId"
    no_original = tests["15800b"].section("no_orig_docentry").plan.step("update_to_no_orig")
    assert no_original.expected_error_code == "XDSMetadataVersionError"
    assert no_original.transaction is not None
    assert no_original.transaction.kind is TransactionKind.METADATA_UPDATE


def test_a_metadata_update_step(tests: dict[str, TestDefinition]) -> None:
    transaction = tests["15800"].section("update").plan.step("update").transaction
    assert transaction is not None
    assert transaction.keep_unique_ids == frozenset({"Document01"})
    assert transaction.assign_uuids
    assert transaction.no_patient_id
    assert transaction.use_reports == (
        UseReport(
            report_name="$patientid$",
            use_as="$patientid$",
            section="pif",
            step="step",
            test="15817",
        ),
    )
    assert [u.section for u in transaction.use_ids] == [
        AssignedSection.UUIDS,
        AssignedSection.UNIQUE_IDS,
    ]
    (report,) = transaction.reports
    assert (report.name, report.section) == ("update_doc_uuid", "InputMetadata")
    assert report.xpath == "//*[local-name()='ExtrinsicObject'][1]/@id"


def test_a_null_transaction_with_assertions(tests: dict[str, TestDefinition]) -> None:
    step = tests["12323"].section("verify_time_updated").plan.step("validation")
    assert step.expected_statuses == ()
    assert step.transaction is not None
    assert step.transaction.kind is TransactionKind.NULL
    assert step.transaction.use_reports[1].section == "THIS"
    assert step.transaction.assertions is not None
    assert step.transaction.assertions.asserts == (
        Assert("dateUpdated", "'original_folder_time' != 'updated_folder_time'"),
    )
    verify = tests["15806"].section("verify").plan.step("verify_original").transaction
    assert verify is not None
    assert verify.assertions is not None
    assert verify.assertions.data_refs == (DataRef("THIS", "output"),)


def test_waits_statuses_and_toolkit_hints(tests: dict[str, TestDefinition]) -> None:
    add = tests["12323"].section("add_to_folder").plan.steps[0].transaction
    assert add is not None
    assert add.wait_before_ms == 4000
    retrieve = tests["_utilities/RetrieveDocumentSet/XDS"].sections[0].plan.steps[0]
    assert retrieve.expected_statuses == (
        ResponseStatus.SUCCESS,
        ResponseStatus.PARTIAL_SUCCESS,
    )
    query = tests["15800"].section("query_by_uniqueid").plan.steps[0].transaction
    assert query is not None
    assert query.ignored == (IgnoredElement("InteractionSequence", ""),)


def test_retrieve_and_cross_community_steps(tests: dict[str, TestDefinition]) -> None:
    retrieve = tests["12029"].section("retrieve").plan.step("retrieve").transaction
    assert retrieve is not None
    assert retrieve.kind is TransactionKind.RETRIEVE
    assert retrieve.reference_documents == (
        ReferenceDocument("$docuid1$", "submit/my_document.pdf"),
    )
    assert retrieve.reference_metadata == (ReferenceMetadata("../query", "by_uid"),)
    xcq = tests["_utilities/FindFolders/XCA"].sections[0].plan.steps[0].transaction
    assert xcq is not None
    assert (xcq.kind, xcq.clean_params, xcq.home_community_id) == (
        TransactionKind.CROSS_GATEWAY_QUERY,
        True,
        "$home$",
    )


def test_a_step_without_transaction_and_a_feed(testkit: Path) -> None:
    plan = read_testplan(testkit / "12346/testplan.xml")
    feed, *_, reset = plan.steps
    assert feed.transaction is not None
    assert feed.transaction.kind is TransactionKind.PATIENT_IDENTITY_FEED
    assert feed.transaction.create_new_patient_id
    assert feed.transaction.no_metadata
    assert reset.transaction is None
    assert reset.new_patient_id
    assert plan.rules == (Rule(text="Submit data to XDS.b registry to support SQ testing"),)


# --------------------------------------------------------------------------- strictness


def write_plan(tmp_path: Path, step: str) -> Path:
    path = tmp_path / TESTPLAN
    path.write_text(f"<TestPlan><Test>t</Test><TestStep id='s'>{step}</TestStep></TestPlan>")
    return path


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ("<Bogus/>", "unknown element <Bogus> in <TestStep>"),
        ("<RegisterTransaction><Bogus/></RegisterTransaction>", "<Bogus> in <RegisterTransaction>"),
        (
            "<NullTransaction><Assertions><Bogus/></Assertions></NullTransaction>",
            "<Bogus> in <Assertions>",
        ),
        ("<Rule><Bogus/></Rule>", "['Bogus'] in <Rule>"),
        (
            "<StoredQueryTransaction><ExpectedContents><Lots/></ExpectedContents>"
            "</StoredQueryTransaction>",
            "'Lots' is not a known ContentCheck",
        ),
        (
            "<StoredQueryTransaction><UseId id='a' symbol='$a$' step='s' section='Elsewhere'/>"
            "</StoredQueryTransaction>",
            "'Elsewhere' is not a known AssignedSection",
        ),
        ("<StoredQueryTransaction><UseId id='a'/></StoredQueryTransaction>", "'symbol'"),
        ("<ExpectedStatus>Maybe</ExpectedStatus>", "unknown ExpectedStatus 'Maybe'"),
        (
            "<NullTransaction/><NullTransaction/>",
            "more than one transaction",
        ),
        (
            "<RegisterTransaction><AssignUuids><Exclude value='x'/></AssignUuids>"
            "</RegisterTransaction>",
            "<AssignUuids> with content is not supported",
        ),
    ],
)
def test_unknown_or_malformed_elements_are_refused(tmp_path: Path, step: str, problem: str) -> None:
    with pytest.raises(TestkitError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        read_testplan(write_plan(tmp_path, step))


def test_a_folder_without_plan_or_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TestkitError, match="neither"):
        read_test(tmp_path)
    (tmp_path / "index.idx").write_text("missing\n")
    with pytest.raises(TestkitError, match=r"section 'missing' has no testplan\.xml"):
        read_test(tmp_path)
