"""Running one step: prepare its request, send it, judge the answer, remember what it gave.

A step passes when every check holds: the response is a readable SOAP answer (no Fault), its status
and errors are as expected (`outcome`), its objects have the expected shape (`contents`), a
retrieve returns the expected documents (`retrieval`), its `Report`s have values and its
`Assertions` hold (`assertions`). Whatever happens, the step is remembered (its log, assignments
and reports), so later steps fail for their own reasons, not for a missing record.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObjectList, read_object_list, rim
from tests.conformance.nist import messages
from tests.conformance.nist.assertions import (
    check_assertions,
    evaluate_report,
    section_log,
    step_log,
)
from tests.conformance.nist.client import Access, SoapExchange, XdsClient
from tests.conformance.nist.contents import check_contents
from tests.conformance.nist.memory import RunMemory, SectionPlace, StepRecord
from tests.conformance.nist.outcome import check_outcome, expected_statuses, read_outcome
from tests.conformance.nist.patients import PATIENT_ID_REPORT, Patients
from tests.conformance.nist.prepare import IdAllocator, SubmissionOptions, text_filler
from tests.conformance.nist.report import CheckFailure, ReportedError, StepResult
from tests.conformance.nist.retrieval import RetrievalEvidence, judge_retrieval
from tests.conformance.nist.testplan import TestStep, Transaction, TransactionKind

K = TransactionKind


@dataclass(frozen=True, slots=True)
class _Route:
    action: str
    access: Access
    to_repository: bool


_ROUTES: Mapping[TransactionKind, _Route] = {
    K.REGISTER: _Route(v.ACTION_REGISTER, Access.PUBLISH, False),
    K.PROVIDE_AND_REGISTER: _Route(v.ACTION_PROVIDE_AND_REGISTER, Access.PUBLISH, True),
    K.METADATA_UPDATE: _Route(v.ACTION_UPDATE, Access.UPDATE, False),
    K.STORED_QUERY: _Route(v.ACTION_STORED_QUERY, Access.READ_METADATA, False),
    K.RETRIEVE: _Route(v.ACTION_RETRIEVE, Access.READ_DOCUMENT, True),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSettings:
    """How a run behaves apart from where it sends: its sourceId, its clock and its waiting."""

    source_id: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    sleep: Callable[[float], None] = time.sleep


@dataclass(slots=True, kw_only=True)
class _StepRun:
    """One step while it runs: where, what and for whom, and what is found out."""

    place: SectionPlace
    step: TestStep
    transaction: Transaction
    patient_id: str  # the test's patient
    failures: list[CheckFailure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    exchange: SoapExchange | None = None
    status: str | None = None
    errors: tuple[ReportedError, ...] = ()

    @property
    def kind(self) -> TransactionKind:
        return self.transaction.kind

    @property
    def scope(self) -> str:
        return f"{self.place.test_name}/{self.place.name}/{self.step.id}"

    def fail(self, check: str, detail: str) -> None:
        self.failures.append(CheckFailure(check, detail))

    def bare_record(self) -> StepRecord:
        return StepRecord(log=step_log(self.step.id, self.kind.value))

    def result(self, seconds: float) -> StepResult:
        exchange = self.exchange
        return StepResult(
            test=self.place.test_name,
            section=self.place.name,
            step=self.step.id,
            transaction=self.kind.value,
            expected_statuses=expected_statuses(self.step) if exchange else (),
            actual_status=self.status,
            endpoint=exchange.url if exchange else None,
            http_status=exchange.http_status if exchange else None,
            errors=self.errors,
            failures=tuple(self.failures),
            notes=tuple(self.notes),
            seconds=seconds,
        )


def _no_payload(exchange: SoapExchange) -> str:
    if exchange.fault is not None:
        fault = exchange.fault
        return f"HTTP {exchange.http_status}, SOAP Fault {fault.code.value}: {fault.reason}"
    return exchange.problem or f"HTTP {exchange.http_status} without a payload"


class StepRunner:
    """Runs steps against one deployment, remembering each in `memory`."""

    def __init__(
        self,
        client: XdsClient,
        memory: RunMemory,
        patients: Patients,
        ids: IdAllocator,
        settings: RunSettings,
    ) -> None:
        self.client = client
        self.memory = memory
        self.patients = patients
        self.ids = ids
        self.settings = settings

    def run(self, place: SectionPlace, step: TestStep, patient_id: str) -> StepResult:
        """Run `step` of the section at `place`; `patient_id` is the test's patient."""
        started = time.monotonic()
        if step.transaction is None:  # the reader allows a step without one
            log = etree.Element("TestStep", id=step.id)
            self.memory.remember(place.directory, step.id, StepRecord(log=log))
            failure = CheckFailure("TestStep", "the step holds no transaction")
            return StepResult(
                test=place.test_name,
                section=place.name,
                step=step.id,
                transaction="-",
                failures=(failure,),
            )
        run = _StepRun(place=place, step=step, transaction=step.transaction, patient_id=patient_id)
        if run.transaction.wait_before_ms:
            self.settings.sleep(run.transaction.wait_before_ms / 1000)
        self.memory.remember(place.directory, step.id, self._run(run))
        return run.result(time.monotonic() - started)

    def _run(self, run: _StepRun) -> StepRecord:
        values, problems = self.memory.placeholders(
            run.transaction, run.place, self.settings.clock()
        )
        run.values.update(values)
        for problem in problems:
            run.fail("UseId/UseReport", problem)
        if run.kind is K.PATIENT_IDENTITY_FEED:
            record = self._feed(run)
        elif run.kind not in _ROUTES:
            if run.kind is not K.NULL:
                run.fail("Transaction", f"{run.kind.value} is not replayed (XCA only)")
            record = run.bare_record()
        else:
            record = run.bare_record() if problems else self._exchange(run)
        if run.transaction.assertions is not None:
            logs = (*self.memory.section_logs(run.place.directory), record.log)
            run.failures += check_assertions(
                run.transaction.assertions,
                run.values,
                section_log(logs),
                self.settings.clock().date(),
            )
        return record

    def _feed(self, run: _StepRun) -> StepRecord:
        patient_id = self.patients.of_fixture(run.place.test.name)
        if not self.patients.settings.feed:
            run.notes.append(f"patient {patient_id} not fed (--no-patient-feed)")
        else:
            answer = self.client.feed_patient(patient_id)
            run.notes.append(f"fed patient {patient_id} to {answer.url}")
            if answer.http_status is None:
                run.fail("PatientIdentityFeed", answer.detail)
            elif not answer.accepted:
                run.fail("PatientIdentityFeed", f"HTTP {answer.http_status}: {answer.detail}")
        return StepRecord(log=run.bare_record().log, reports={PATIENT_ID_REPORT: patient_id})

    def _request(self, run: _StepRun) -> messages.OutgoingRequest:
        if run.kind is K.STORED_QUERY:
            return messages.stored_query(run.transaction, run.values)
        if run.kind is K.RETRIEVE:
            return messages.retrieve(run.transaction, run.values)
        never_fed = run.step.alt_patient_id or run.step.new_patient_id
        options = SubmissionOptions.for_step(
            run.transaction,
            placeholders=run.values,
            patient_id=self.patients.never_fed(run.scope) if never_fed else run.patient_id,
            scope=run.scope,
            source_id=self.settings.source_id,
        )
        request = messages.submission(run.transaction, options, self.ids)
        if never_fed:
            patients = sorted(set(request.assignments.patient_ids.values()))
            run.notes.append(f"never-fed patient {', '.join(patients)}")
        if run.kind is K.PROVIDE_AND_REGISTER:
            return messages.provide_and_register(request, run.transaction.documents)
        return request

    def _exchange(self, run: _StepRun) -> StepRecord:
        try:
            request = self._request(run)
        except messages.RequestError as exc:
            run.fail("Request", str(exc))
            return run.bare_record()
        route = _ROUTES[run.kind]
        endpoints = self.client.endpoints
        url = endpoints.repository if route.to_repository else endpoints.registry
        run.exchange = self.client.soap(
            url,
            route.action,
            request.payload,
            route.access,
            request.attachments,
            patient_id=run.patient_id,
        )
        payload = run.exchange.payload
        log = step_log(run.step.id, run.kind.value, request.input_metadata, payload)
        if payload is None:
            run.fail("Response", _no_payload(run.exchange))
        else:
            self._judge(run, request, payload)
        return StepRecord(
            log=log,
            assignments=request.assignments,
            reports={**request.assignments.reports(), **self._reports(run, log)},
            result=payload,
            documents=request.documents,
        )

    def _judge(
        self, run: _StepRun, request: messages.OutgoingRequest, payload: etree._Element
    ) -> None:
        outcome = read_outcome(payload)
        run.status = outcome.status or None
        run.errors = outcome.errors
        run.failures += check_outcome(run.step, outcome)
        if run.transaction.expected_contents:
            run.failures += check_contents(run.transaction.expected_contents, outcome.objects)
        if run.kind is K.RETRIEVE and not run.step.expects_failure:
            parts = run.exchange.parts if run.exchange else {}
            judgement = judge_retrieval(payload, parts, self._evidence(run, request))
            run.failures += judgement.failures
            run.notes += judgement.notes
            run.values.update(judgement.values)

    def _evidence(self, run: _StepRun, request: messages.OutgoingRequest) -> RetrievalEvidence:
        fill = text_filler(run.values)
        return RetrievalEvidence(
            requested=messages.document_requests(request.payload),
            reference_files={
                fill(reference.uid): (run.place.directory / reference.path).resolve()
                for reference in run.transaction.reference_documents
            },
            reference_metadata=self._reference_metadata(run),
            submitted=self.memory.submitted_document,
        )

    def _reference_metadata(self, run: _StepRun) -> RimObjectList | None:
        """The objects the `ReferenceMetadata` steps (stored queries) returned, together."""
        if not run.transaction.reference_metadata:
            return None
        merged = etree.Element(rim("RegistryObjectList"))
        for reference in run.transaction.reference_metadata:
            folder = run.place.directory / reference.testdir
            record = self.memory.step(folder, reference.step)
            if record is None or record.result is None:
                run.fail("ReferenceMetadata", f"no result of step {reference.step} in {folder}")
                continue
            for found in record.result.iter(rim("RegistryObjectList")):
                merged.extend(copy.deepcopy(child) for child in found.iterchildren("*"))
        return read_object_list(merged)

    def _reports(self, run: _StepRun, log: etree._Element) -> dict[str, str]:
        reports = {}
        for report in run.transaction.reports:
            try:
                reports[report.name] = evaluate_report(report, log)
            except ValueError as exc:
                run.fail(f"Report/{report.name}", str(exc))
        return reports
