"""The replayer end to end against a fake deployment on loopback (`fake_xds`)."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.retrieve import build_retrieve_document_set_response
from schemas.ebrim.rim import rim
from schemas.ebrim.wire import xdsb
from schemas.endpoint import SoapRequest, SoapResponse
from schemas.errors import ResponseStatus
from schemas.model.messages import InlineContent, RetrievedDocument, RetrieveDocumentSetResponse
from schemas.soap import response_action, sender_fault
from tests.conformance.nist.catalogue import FIXTURES, group_tests
from tests.conformance.nist.client import BearerToken, Endpoints, XdsClient
from tests.conformance.nist.conftest import NOW, TOKEN, ReplayerFactory
from tests.conformance.nist.fake_xds import REPOSITORY_UNIQUE_ID, RunningFake, failure
from tests.conformance.nist.memory import RunMemory
from tests.conformance.nist.patients import Patients, PatientSettings
from tests.conformance.nist.prepare import IdAllocator
from tests.conformance.nist.reader import read_test
from tests.conformance.nist.report import RunReport, StepResult, step_lines
from tests.conformance.nist.runner import Replayer, folders_to_run, locate_test
from tests.conformance.nist.steps import RunSettings, StepRunner

FNR_PATIENT = "15838510075^^^&2.16.578.1.12.4.1.4.1&ISO"  # synthetic fødselsnummer


def by_step(report: RunReport) -> dict[str, StepResult]:
    return {step.where: step for step in report.steps}


def failures(result: StepResult) -> list[str]:
    return [f"{f.check}: {f.detail}" for f in result.failures]


def patient_ids_sent(fake: RunningFake) -> set[str]:
    return {
        e.get("value", "")
        for received in fake.state.received
        for e in received.payload.iter(rim("ExternalIdentifier"))
        if e.get("identificationScheme") in {v.DE_PATIENT_ID, v.SS_PATIENT_ID}
    }


def test_11990_passes_when_the_deployment_answers_correctly(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    report = make_replayer().run([testkit / "11990"])
    assert [(s.where, s.passed) for s in report.steps] == [
        ("15817/pif/step", True),
        ("11990/submit/submit", True),
        ("11990/eval/by_uid", True),
        ("11990/eval/verify_availabilityStatus", True),
    ]
    assert report.passed
    (patient,) = fake.state.patients
    assert patient.endswith("^^^&1.3.6.1.4.1.21367.2005.3.7&ISO")
    assert patient_ids_sent(fake) == {patient}, "the fed patient replaced $patientid$"
    assert [r.action for r in fake.state.received] == [v.ACTION_REGISTER, v.ACTION_STORED_QUERY]
    assert set(fake.state.authorizations) == {f"Bearer {TOKEN}"}
    number = patient.split("^", 1)[0]
    assert fake.state.patient_headers == [None, number], "the query names its patient"
    submit = by_step(report)["11990/submit/submit"]
    assert submit.endpoint == fake.registry
    assert submit.actual_status == v.RESPONSE_SUCCESS


def test_11990_fails_with_a_clear_report_when_the_registry_answers_failure(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    fake.state.scripts[v.ACTION_REGISTER] = lambda _: failure(
        v.ACTION_REGISTER, "XDSRegistryMetadataError", "classCode is missing"
    )
    report = make_replayer().run([testkit / "11990"])
    assert not report.passed
    assert report.failed_tests == ("11990",)
    steps = by_step(report)
    submit = steps["11990/submit/submit"]
    assert failures(submit) == ["ExpectedStatus: expected Success, got Failure"]
    assert list(step_lines(submit))[:2] == [
        f"FAIL 11990/submit/submit [RegisterTransaction] expected Success, got Failure "
        f"({submit.seconds:.2f} s)",
        "    error XDSRegistryMetadataError (Error): classCode is missing",
    ]
    assert failures(steps["11990/eval/by_uid"]) == [
        "ExpectedContents/SSwithOneDoc: 0 SubmissionSets instead of 1; "
        "0 DocumentEntries instead of 1; 0 Associations instead of 1"
    ]
    (assertion,) = failures(steps["11990/eval/verify_availabilityStatus"])
    assert assertion.startswith("Assert/availabilityStatus: //*[local-name()='ExtrinsicObject']")
    assert assertion.endswith("gave false")


def test_a_soap_fault_and_a_silent_endpoint_are_reported(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    def refuse(_: SoapRequest) -> SoapResponse:
        raise sender_fault("the query is not allowed")

    fake.state.scripts[v.ACTION_STORED_QUERY] = refuse
    steps = by_step(make_replayer().run([testkit / "11990"]))
    assert failures(steps["11990/eval/by_uid"]) == [
        "Response: HTTP 400, SOAP Fault Sender: the query is not allowed"
    ]

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{unused.getsockname()[1]}/xds/registry"
    silent = XdsClient(Endpoints.of(nowhere, nowhere), BearerToken(TOKEN), timeout=5)
    ids = IdAllocator()
    patients = Patients(PatientSettings(feed=False), ids)
    runner = StepRunner(silent, RunMemory(locate_test), patients, ids, RunSettings())
    steps = by_step(Replayer(runner).run([testkit / "11990"]))
    (problem,) = failures(steps["11990/submit/submit"])
    assert problem.startswith("Response: no answer: ")


def test_12029_provides_queries_and_retrieves_the_document_it_sent(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    report = make_replayer().run([testkit / "12029"])
    assert report.passed, [failures(s) for s in report.steps]
    provide = fake.state.received[0]
    assert provide.action == v.ACTION_PROVIDE_AND_REGISTER
    (document,) = provide.payload.iter(xdsb("Document"))
    (entry,) = provide.payload.iter(rim("ExtrinsicObject"))
    assert document.get("id") == entry.get("id")
    ((content_type, data),) = provide.parts.values()
    assert content_type == "text/plain", "the part has the DocumentEntry's mimeType"
    assert data == (testkit / "12029" / "submit" / "readme.txt").read_bytes()
    assert fake.state.content_types[0].startswith("multipart/related")
    retrieve = by_step(report)["12029/retrieve/retrieve"]
    assert retrieve.endpoint == fake.repository
    assert retrieve.notes == (
        f"ReferenceDocument {testkit}/12029/retrieve/submit/my_document.pdf does not exist; "
        "judged by the document sent",
    )


def test_a_repository_returning_other_bytes_fails_the_retrieve(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    def other_bytes(soap: SoapRequest) -> SoapResponse:
        unique_id = soap.envelope.body.findtext(f".//{xdsb('DocumentUniqueId')}", "")
        document = RetrievedDocument(
            repository_unique_id=REPOSITORY_UNIQUE_ID,
            document_unique_id=unique_id,
            mime_type="text/plain",
            content=InlineContent(b"not what was sent"),
        )
        response = RetrieveDocumentSetResponse(status=ResponseStatus.SUCCESS, documents=(document,))
        return SoapResponse(
            action=response_action(v.ACTION_RETRIEVE),
            payload=build_retrieve_document_set_response(response),
        )

    fake.state.scripts[v.ACTION_RETRIEVE] = other_bytes
    report = make_replayer().run([testkit / "12360"])
    problems = [p.split(": ", 1)[1] for p in failures(by_step(report)["12360/retrieve/retrieve"])]
    sent = (testkit / "12360" / "submit" / "my_document.txt").read_bytes()
    assert problems == [
        "mimeType text/plain, the query said text/goofy",
        f"hash {hashlib.sha1(b'not what was sent').hexdigest()}, "
        f"the query said {hashlib.sha1(sent).hexdigest()}",
        f"size 17, the query said {len(sent)}",
        f"bytes differ from the ReferenceDocument {testkit}/12360/submit/my_document.txt",
        "bytes differ from the document this run sent",
        "mimeType text/plain, it was sent as text/goofy",
    ]


def test_11996_submits_for_a_patient_nobody_fed(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    report = make_replayer().run([testkit / "11996"])
    (step,) = report.steps
    assert step.passed
    assert [e.code for e in step.errors] == ["XDSUnknownPatientId"]
    (sent,) = patient_ids_sent(fake)
    assert sent not in fake.state.patients
    assert step.notes == (f"never-fed patient {sent}",)


def test_fixed_patients_known_without_a_feed(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    fake.state.patients.add(FNR_PATIENT)
    settings = PatientSettings(feed=False, fixed={"15817": FNR_PATIENT})
    report = make_replayer(settings).run([testkit / "11990"])
    assert report.passed
    assert fake.state.patients == {FNR_PATIENT}
    assert patient_ids_sent(fake) == {FNR_PATIENT}
    assert report.steps[0].notes == (f"patient {FNR_PATIENT} not fed (--no-patient-feed)",)


def test_a_refused_patient_feed_fails_the_fixture(testkit: Path, fake: RunningFake) -> None:
    endpoints = Endpoints.of(fake.registry, fake.repository, f"{fake.base_url}/nowhere")
    ids = IdAllocator()
    runner = StepRunner(
        XdsClient(endpoints, BearerToken(TOKEN)),
        RunMemory(locate_test),
        Patients(PatientSettings(), ids),
        ids,
        RunSettings(),
    )
    (step,) = Replayer(runner).run([testkit / "15817"]).steps
    (problem,) = failures(step)
    assert problem.startswith("PatientIdentityFeed: HTTP 404")


def test_wait_before_is_honoured(testkit: Path, fake: RunningFake) -> None:
    waited: list[float] = []
    ids = IdAllocator()
    runner = StepRunner(
        XdsClient(Endpoints.of(fake.registry, fake.repository), BearerToken(TOKEN)),
        RunMemory(locate_test),
        Patients(PatientSettings(), ids),
        ids,
        RunSettings(sleep=waited.append),
    )
    Replayer(runner).run([testkit / "12323"])
    assert waited == [4.0, 4.0]


def test_what_was_sent_is_what_the_testplan_says(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    """11997: the DocumentEntry for 15817b's patient, the SubmissionSet for 15817's."""
    report = make_replayer().run([testkit / "11997"])
    assert report.passed
    submit = next(r for r in fake.state.received if r.action == v.ACTION_REGISTER)
    patient_of = {
        e.get("identificationScheme"): e.get("value")
        for e in submit.payload.iter(rim("ExternalIdentifier"))
    }
    main, second = (by_step(report)[f"{t}/pif/step"] for t in ("15817", "15817b"))
    assert main.notes == (
        f"fed patient {patient_of[v.SS_PATIENT_ID]} to {fake.base_url}/admin/patients",
    )
    assert second.notes == (
        f"fed patient {patient_of[v.DE_PATIENT_ID]} to {fake.base_url}/admin/patients",
    )
    assert etree.QName(submit.payload).localname == "SubmitObjectsRequest"


def test_every_catalogue_test_replays_without_a_problem_of_the_replay(
    testkit: Path, fake: RunningFake, make_replayer: ReplayerFactory
) -> None:
    """Every step of every catalogue test (and fixture) builds its request from the values of the
    steps before it, sends it and is judged; the fake answers only some queries and keeps no
    versions, so checks of the answers may fail, but nothing on the replay's side does."""
    fake.state.clock = lambda: NOW
    replayer = make_replayer()
    planned = replayer.plan(folders_to_run([testkit], []))
    report = replayer.run(planned)
    assert len(report.tests) == len(planned) == len(group_tests()) + len(FIXTURES)
    steps = sum(len(section.plan.steps) for f in planned for section in read_test(f).sections)
    assert len(report.steps) == steps
    judged = {
        "ExpectedStatus",
        "ExpectedErrorMessage",
        "ExpectedErrorCode",
        "ExpectedContents",
        "Assert",
    }
    checks = {f.check.split("/")[0] for step in report.steps for f in step.failures}
    assert checks <= judged
    assert sum(step.passed for step in report.steps) > len(report.steps) // 3
    steps_by_name = by_step(report)
    # a Result report, taken up in the same section (THIS) and compared with $DATE$
    assert steps_by_name["12323/verify_no_submission_time/verify_has_todays_date"].passed
    # a uniqueId assigned in 12346, used by 11901 through ../../12346/single_doc
    assert steps_by_name["11901/uniqueid/uniqueid"].passed


def test_steps_the_replay_cannot_run_fail_with_the_reason(
    tmp_path: Path, make_replayer: ReplayerFactory
) -> None:
    (tmp_path / "9").mkdir()
    (tmp_path / "9" / "testplan.xml").write_text(
        "<TestPlan><Test>9</Test>"
        "<TestStep id='empty'><ExpectedStatus>Success</ExpectedStatus></TestStep>"
        "<TestStep id='xca'><XCQTransaction><MetadataFile>q.xml</MetadataFile></XCQTransaction>"
        "</TestStep></TestPlan>"
    )
    report = make_replayer().run([tmp_path / "9"])
    assert [failures(step) for step in report.steps] == [
        ["TestStep: the step holds no transaction"],
        ["Transaction: XCQTransaction is not replayed (XCA only)"],
    ]
