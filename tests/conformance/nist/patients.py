"""The patient ids of a replay.

The patient fixtures (15817, 15817b, 15818) hold one Patient Identity Feed step each. The replay
gives each fixture a fresh NIST-style id (`<hex>^^^&1.3.6.1.4.1.21367.2005.3.7&ISO`) per run, or the
operator's (`--patient-id`, `--alt-patient-id`, `--query-patient-id`, e.g. a synthetic
fødselsnummer a deployment knows without a feed), and makes it known to the registry through its
patient feed unless the deployment needs none (`--no-patient-feed`).

A step's patient is its test's (`runner.patient_fixture`). An `AltPatientId` step gets a fresh id
that was never fed (NIST `PatientIdAllocator.getNew`), for XDSUnknownPatientId.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemas.model.hl7v2 import Cx
from tests.conformance.nist.catalogue import PATIENT_FIXTURES
from tests.conformance.nist.prepare import IdAllocator

NIST_PATIENT_AUTHORITY = "1.3.6.1.4.1.21367.2005.3.7"
PATIENT_ID_REPORT = "$patientid$"  # what a feed step reports, as the toolkit names it


def nist_patient_id(number: str) -> str:
    return f"{number}^^^&{NIST_PATIENT_AUTHORITY}&ISO"


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientSettings:
    """Whether to feed patients, and fixed patient ids by fixture test name."""

    feed: bool = True
    fixed: Mapping[str, str] = field(default_factory=dict)

    def authorities(self) -> frozenset[str]:
        """The assigning authorities of the fixtures' patients (fixed or NIST-style)."""
        return frozenset(
            Cx.parse(self.fixed[fixture]).authority_oid
            if fixture in self.fixed
            else NIST_PATIENT_AUTHORITY
            for fixture in PATIENT_FIXTURES
        )


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
