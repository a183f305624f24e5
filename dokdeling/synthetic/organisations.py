"""Synthetic publishing organisations: fictional helseforetak, a legesenter and a
røntgeninstitutt with valid Enhetsregisteret organisation numbers (mod 11), and their authors.

Names and places are made up; the numbers are well formed (`is_valid_organisation_number`) but
chosen from one block (9876540xx) so that they are easy to recognise as synthetic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from dokdeling.synthetic.people import Practitioner
from schemas.model.common import Code, international
from schemas.model.hl7v2 import HierarchicDesignator, Xon
from schemas.norway import oids


@dataclass(frozen=True, slots=True, kw_only=True)
class Organisation:
    """An author institution: name, organisation number, facility type and its practitioners."""

    name: str
    number: str
    facility_type: Code
    """healthcareFacilityTypeCode (Volven 1303)."""
    practitioners: tuple[Practitioner, ...]

    @property
    def source_id(self) -> str:
        """The OID of the organisation's EPJ as a document source (SubmissionSet sourceId)."""
        return f"2.25.{uuid.uuid5(uuid.NAMESPACE_OID, 'dokdeling-synthetic:' + self.number).int}"

    @property
    def xon(self) -> Xon:
        return Xon(
            organization_name=self.name,
            assigning_authority=HierarchicDesignator("", oids.ENHETSREGISTERET, "ISO"),
            organization_identifier=self.number,
        )


def _facility(code: str, display: str) -> Code:
    return Code(code=code, scheme=oids.HELSETJENESTEENHET, display=international(display))


_HOSPITAL = _facility("86.101", "Alminnelige somatiske sykehus")
_GP_OFFICE = _facility("86.211", "Allmenn legetjeneste")
_SPECIALIST = _facility("86.221", "Spesialisert legetjeneste, unntatt psykiatrisk legetjeneste")


def _doctor(hpr: str, given: str, family: str, role: str, specialty: str) -> Practitioner:
    return Practitioner(
        hpr_number=hpr, given_name=given, family_name=family, role=role, specialty=specialty
    )


VESTFJORD = Organisation(
    name="Vestfjord sykehus HF",
    number="987654015",
    facility_type=_HOSPITAL,
    practitioners=(
        _doctor("9920101", "Marte", "Fjeldstad", "Utskrivende lege", "Indremedisin"),
        _doctor("9920102", "Eirik", "Solheim", "Utskrivende lege", "Generell Kirurgi"),
        _doctor("9920103", "Gunn", "Aasen", "Behandlingsansvarlig lege", "Radiologi"),
    ),
)
NORDLIA = Organisation(
    name="Nordlia universitetssykehus HF",
    number="987654023",
    facility_type=_HOSPITAL,
    practitioners=(
        _doctor("9920201", "Sindre", "Vik", "Utskrivende lege", "Hjertesykdommer"),
        _doctor("9920202", "Ragnhild", "Moe", "Utskrivende lege", "Nevrologi"),
        _doctor("9920203", "Petter", "Brekke", "Behandlingsansvarlig lege", "Radiologi"),
        _doctor("9920204", "Linnea", "Holm", "Behandlingsansvarlig lege", "Medisinsk biokjemi"),
    ),
)
ELVEBAKKEN = Organisation(
    name="Elvebakken legesenter",
    number="987654031",
    facility_type=_GP_OFFICE,
    practitioners=(
        _doctor("9920301", "Kristin", "Lunde", "Fastlege", "Allmennmedisin"),
        _doctor("9920302", "Ove", "Sandvik", "Fastlege", "Allmennmedisin"),
    ),
)
FJELLHEIM = Organisation(
    name="Fjellheim røntgeninstitutt AS",
    number="987654058",
    facility_type=_SPECIALIST,
    practitioners=(
        _doctor("9920401", "Henrik", "Bakke", "Behandlingsansvarlig lege", "Radiologi"),
    ),
)

ORGANISATIONS = (VESTFJORD, NORDLIA, ELVEBAKKEN, FJELLHEIM)
HOSPITALS = (VESTFJORD, NORDLIA)
