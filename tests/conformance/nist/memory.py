"""What the replay remembers of the steps it ran, and the placeholder values later steps take.

The toolkit reads earlier steps back from their `log.xml`; the replay keeps a `StepRecord` per step,
keyed by the step's section folder and id, which is how testplans name them:
- `UseId testdir="../submit" step="submit" section="AssignedUids" id="Document01"`: a folder
  relative to this section's folder (none: this section), a step, and what that step assigned;
- `UseReport test="15817" section="pif" step="step" reportName="$patientid$"`: a section of this
  test (`THIS`: this section) or of another test, a step, and one of its reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from lxml import etree

from tests.conformance.nist.assertions import THIS_SECTION
from tests.conformance.nist.prepare import Assignments
from tests.conformance.nist.testplan import Transaction, UseId, UseReport

HL7_SECOND = "%Y%m%d%H%M%S"


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionPlace:
    """Where a section is: its test's folder and name (`_utilities/GetAll` for a nested one), the
    section's name, and its own (the testplan's) folder."""

    test: Path
    test_name: str
    name: str
    directory: Path


@dataclass(frozen=True, slots=True)
class SubmittedDocument:
    """A document this run sent in a Provide and Register step."""

    data: bytes
    mime_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRecord:
    """A step that ran: its log (`TestStep`), what it assigned, what it reported, its response."""

    log: etree._Element
    assignments: Assignments = field(default_factory=Assignments)
    reports: Mapping[str, str] = field(default_factory=dict)
    result: etree._Element | None = None
    documents: Mapping[str, SubmittedDocument] = field(default_factory=dict)


TestLocator = Callable[[str, Path], Path]
"""The folder of test `name`, looked up from the folder of the test that names it."""


class RunMemory:
    """The records of the steps run so far, by section folder and step id, in run order."""

    def __init__(self, locate_test: TestLocator) -> None:
        self._locate_test = locate_test
        self._sections: dict[Path, dict[str, StepRecord]] = {}

    def remember(self, section: Path, step_id: str, record: StepRecord) -> None:
        self._sections.setdefault(section.resolve(), {})[step_id] = record

    def step(self, section: Path, step_id: str) -> StepRecord | None:
        return self._sections.get(section.resolve(), {}).get(step_id)

    def section_logs(self, section: Path) -> tuple[etree._Element, ...]:
        return tuple(r.log for r in self._sections.get(section.resolve(), {}).values())

    def submitted_document(self, unique_id: str) -> SubmittedDocument | None:
        """The document this run sent under `unique_id`, if it sent one."""
        for steps in self._sections.values():
            for record in steps.values():
                if unique_id in record.documents:
                    return record.documents[unique_id]
        return None

    def _use_id(self, use: UseId, place: SectionPlace) -> str:
        folder = place.directory / use.testdir if use.testdir else place.directory
        record = self.step(folder, use.step)
        if record is None:
            raise LookupError(f"UseId {use.symbol}: step {use.step} in {folder} has not run")
        try:
            return record.assignments.value(use.section, use.id)
        except KeyError:
            raise LookupError(
                f"UseId {use.symbol}: step {use.step} in {folder} has no {use.id} "
                f"in {use.section.value}"
            ) from None

    def _use_report(self, use: UseReport, place: SectionPlace) -> str:
        if use.section == THIS_SECTION:
            folder = place.directory
        else:
            test = self._locate_test(use.test, place.test) if use.test else place.test
            folder = test / use.section
        record = self.step(folder, use.step)
        if record is None:
            raise LookupError(f"UseReport {use.use_as}: step {use.step} in {folder} has not run")
        if use.report_name not in record.reports:
            filed = ", ".join(sorted(record.reports)) or "none"
            raise LookupError(
                f"UseReport {use.use_as}: step {use.step} in {folder} filed no report "
                f"{use.report_name} (it filed: {filed})"
            )
        return record.reports[use.report_name]

    def placeholders(
        self, transaction: Transaction, place: SectionPlace, now: datetime
    ) -> tuple[dict[str, str], list[str]]:
        """The values of a step's placeholders, and why any could not be found.

        Besides `UseId` and `UseReport`, the toolkit fills `$now$` and `$lastyear$` (HL7 times).
        """
        values = {"$now$": now.strftime(HL7_SECOND), "$lastyear$": _last_year(now)}
        problems = []
        lookups: list[tuple[str, Callable[[], str]]] = [
            (use.symbol, partial(self._use_id, use, place)) for use in transaction.use_ids
        ]
        lookups += [
            (use.use_as, partial(self._use_report, use, place)) for use in transaction.use_reports
        ]
        for symbol, resolve in lookups:
            try:
                values[symbol] = resolve()
            except LookupError as exc:
                problems.append(str(exc))
        return values, problems


def _last_year(now: datetime) -> str:
    return (now - timedelta(days=365)).strftime(HL7_SECOND)
