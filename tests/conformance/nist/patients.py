"""The patient ids of a replay.

The patient fixtures (15817, 15817b, 15818) hold one Patient Identity Feed step each. The replay
gives each fixture a fresh NIST-style id (`<hex>^^^&1.3.6.1.4.1.21367.2005.3.7&ISO`) per run, or the
operator's (`--patient-id`, `--alt-patient-id`, `--query-patient-id`, e.g. a synthetic
fødselsnummer a deployment knows without a feed), and makes it known to the registry through its
patient feed unless the deployment needs none (`--no-patient-feed`).

A step's patient is its test's: the patient of the fixture the test's `UseReport`s name (15818 for
the stored-query data of 12346, 15817 for the rest; 15817b is the second patient a mismatch test
names in its metadata, never a test's own), 15817's when it names none. An `AltPatientId` step
gets a fresh id that was never fed (NIST `PatientIdAllocator.getNew`), for XDSUnknownPatientId.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tests.conformance.nist.catalogue import MAIN_PATIENT_FIXTURE, QUERY_PATIENT_FIXTURE
from tests.conformance.nist.prepare import IdAllocator
from tests.conformance.nist.testplan import TestDefinition

NIST_PATIENT_AUTHORITY = "1.3.6.1.4.1.21367.2005.3.7"
PATIENT_ID_REPORT = "$patientid$"  # what a feed step reports, as the toolkit names it
_OWN_PATIENT_FIXTURES = (MAIN_PATIENT_FIXTURE, QUERY_PATIENT_FIXTURE)


def nist_patient_id(number: str) -> str:
    return f"{number}^^^&{NIST_PATIENT_AUTHORITY}&ISO"


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientSettings:
    """Whether to feed patients, and fixed patient ids by fixture test name."""

    feed: bool = True
    fixed: Mapping[str, str] = field(default_factory=dict)


class Patients:
    """One patient id per fixture for the whole run, and never-fed ids on demand."""

    def __init__(self, settings: PatientSettings, ids: IdAllocator) -> None:
        self.settings = settings
        self._ids = ids
        self._allocated: dict[str, str] = {}

    def of_fixture(self, fixture: str) -> str:
        if fixture not in self._allocated:
            fixed = self.settings.fixed.get(fixture)
            number = self._ids.hex(f"patient/{fixture}")[:16]
            self._allocated[fixture] = fixed or nist_patient_id(number)
        return self._allocated[fixture]

    def never_fed(self, scope: str) -> str:
        return nist_patient_id(self._ids.hex(f"unknown-patient/{scope}")[:16])


def patient_fixture_of(test: TestDefinition) -> str:
    """The fixture whose patient is the test's own (see the module text)."""
    named = (
        use.test
        for section in test.sections
        for step in section.plan.steps
        if step.transaction is not None
        for use in step.transaction.use_reports
    )
    return next((name for name in named if name in _OWN_PATIENT_FIXTURES), MAIN_PATIENT_FIXTURE)
