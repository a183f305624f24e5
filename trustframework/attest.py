"""The attest of *tjenstlig behov*: the tillitsrammeverk's `nhn:tillitsrammeverk:parameters`.

One frozen object tree whatever carried it (the HelseID access-token claim today, NHN's SAML XUA
`urn:nhn:trust-framework:1.0:ext:*` attributes later; docs/trustframework.md maps both):

    Attest
    ├── practitioner: Practitioner   identifier, hpr_nr, authorization, legal_entity,
    │                                point_of_care, department
    ├── care_relationship: CareRelationship   healthcare_service, purpose_of_use,
    │                                purpose_of_use_details, decision_ref
    ├── patients: (AttestedPatient, …)   identifier?, point_of_care, department
    └── toa: time of attestation (UTC)

`parse_attest` reads the JSON claim (`care_relationship`; the legacy `care_relation` is tolerated)
and checks required fields, value formats and code systems (Tillitsrammeverk informasjons- og
datamodell v1.1 §4); every problem is reported with its own reason and path. Whether the attest
fits the token and the request (age, person, patient) is the access policy's business.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from trustframework import codes
from trustframework.failures import Reason

ATTEST_CLAIM = "nhn:tillitsrammeverk:parameters"
_ORGANISATION = frozenset({codes.ENHETSREGISTERET})
_ELEVEN_DIGITS = re.compile(r"\d{11}")
# The form an identifier's id must have, by the OID of its system.
_ID_FORMATS = {
    codes.FODSELSNUMMER: _ELEVEN_DIGITS,
    codes.D_NUMMER: _ELEVEN_DIGITS,
    codes.H_NUMMER: _ELEVEN_DIGITS,
    codes.HPR_NUMMER: re.compile(r"\d{1,12}"),
    codes.ENHETSREGISTERET: re.compile(r"\d{9}"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Identifier:
    """An identifier as the trust framework writes it: `{id, name, system, authority}`."""

    id: str
    system: str
    name: str | None = None
    authority: str | None = None

    @property
    def oid(self) -> str:
        return codes.oid_of(self.system)


@dataclass(frozen=True, slots=True, kw_only=True)
class CodedValue:
    """A code as the trust framework writes it: `{code, text, system, assigner}`."""

    code: str
    system: str
    text: str | None = None
    assigner: str | None = None

    @property
    def oid(self) -> str:
        return codes.oid_of(self.system)


@dataclass(frozen=True, slots=True, kw_only=True)
class Practitioner:
    """Who asks: person, HPR number and authorization, employer, place of care, department."""

    identifier: Identifier
    legal_entity: Identifier
    point_of_care: Identifier
    hpr_nr: Identifier | None = None
    authorization: CodedValue | None = None
    department: Identifier | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionRef:
    """The consumer's own access decision: its id, and whether the user chose it (ATT-48)."""

    id: str
    user_selected: bool
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CareRelationship:
    """Why: purpose of use, the service or event behind it, and the local decision."""

    purpose_of_use: CodedValue
    decision_ref: DecisionRef
    healthcare_service: CodedValue | None = None
    purpose_of_use_details: CodedValue | None = None

    @property
    def purpose(self) -> codes.PurposeOfUse | None:
        """The purpose when it is one the framework defines (in its code system), else None."""
        if self.purpose_of_use.oid != codes.PURPOSE_OF_USE:
            return None
        try:
            return codes.PurposeOfUse(self.purpose_of_use.code)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttestedPatient:
    """The patient the attest is about, and where the patient is cared for."""

    identifier: Identifier | None = None
    point_of_care: Identifier | None = None
    department: Identifier | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attest:
    """An attest of tjenstlig behov (Tillitsrammeverk §4: practitioner, care relation, patients)."""

    practitioner: Practitioner
    care_relationship: CareRelationship
    patients: tuple[AttestedPatient, ...]
    toa: datetime

    @property
    def patient_identifier(self) -> Identifier | None:
        """`patients[0].identifier`, the patient the attest binds when it names one."""
        return self.patients[0].identifier if self.patients else None

    def to_claim(self) -> dict[str, Any]:
        """The JSON claim form (`care_relationship`), as HelseID writes it into the token."""
        claim: dict[str, Any] = _without_none(asdict(self))
        claim["toa"] = int(self.toa.timestamp())
        return claim


@dataclass(frozen=True, slots=True, kw_only=True)
class AttestProblem:
    """One thing wrong with an attest: its reason, where (a dotted path) and what."""

    reason: Reason
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidAttest(Exception):
    """The attest claim is not a usable attest; `problems` lists every finding, first decides."""

    def __init__(self, problems: tuple[AttestProblem, ...]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

    @property
    def reason(self) -> Reason:
        return self.problems[0].reason


def parse_attest(
    claim: object, *, patient_id_systems: frozenset[str] = codes.NATIONAL_PERSON_IDS
) -> Attest:
    """The attest in a token claim (a JSON object, or a string holding one).

    `patient_id_systems` are the OIDs a patient identifier may use: F-, D- and H-nummer unless a
    deployment adds its own patient authorities. Raises InvalidAttest listing every problem.
    """
    reader = _Reader(patient_id_systems)
    attest = reader.attest(_as_object(claim))
    if reader.problems or attest is None:
        raise InvalidAttest(tuple(reader.problems) or _malformed("", "not an attest"))
    return attest


def _as_object(claim: object) -> object:
    if isinstance(claim, str):
        try:
            return json.loads(claim)
        except ValueError:
            return None
    return claim


def _malformed(path: str, message: str) -> tuple[AttestProblem, ...]:
    return (AttestProblem(reason=Reason.ATTEST_MALFORMED, path=path or "attest", message=message),)


class _Reader:
    """Reads the claim into the tree, noting each problem instead of stopping at the first."""

    def __init__(self, patient_id_systems: frozenset[str]) -> None:
        self.patient_id_systems = patient_id_systems
        self.problems: list[AttestProblem] = []

    def note(self, reason: Reason, path: str, message: str) -> None:
        self.problems.append(AttestProblem(reason=reason, path=path, message=message))

    def attest(self, data: object) -> Attest | None:
        if not isinstance(data, Mapping):
            self.problems.extend(_malformed("", "the attest claim must be a JSON object"))
            return None
        practitioner = self.practitioner(self.member(data, "practitioner", "practitioner"))
        care = self.care_relationship(data)
        patients = self.patients(data.get("patients"))
        toa = self.toa(data.get("toa"))
        if practitioner is None or care is None or toa is None:
            return None
        return Attest(practitioner=practitioner, care_relationship=care, patients=patients, toa=toa)

    def member(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        """A required JSON object member."""
        value = data.get(key)
        if value is None:
            self.note(Reason.ATTEST_REQUIRED_FIELD_MISSING, path, "is required")
            return None
        if not isinstance(value, Mapping):
            self.note(Reason.ATTEST_MALFORMED, path, "must be a JSON object")
            return None
        return value

    def practitioner(self, data: Mapping[str, Any] | None) -> Practitioner | None:
        if data is None:
            return None
        org = _ORGANISATION
        path = "practitioner."
        ids = codes.PRACTITIONER_PERSON_IDS
        identifier = self.identifier(data, "identifier", path, ids, required=True)
        hpr = self.identifier(data, "hpr_nr", path, frozenset({codes.HPR_NUMMER}))
        authorization = self.code(
            data, "authorization", path, frozenset({codes.HELSEPERSONELLKATEGORI})
        )
        legal_entity = self.identifier(data, "legal_entity", path, org, required=True)
        point_of_care = self.identifier(data, "point_of_care", path, org, required=True)
        department = self.identifier(data, "department", path, None)
        if identifier is None or legal_entity is None or point_of_care is None:
            return None
        return Practitioner(
            identifier=identifier,
            hpr_nr=hpr,
            authorization=authorization,
            legal_entity=legal_entity,
            point_of_care=point_of_care,
            department=department,
        )

    def care_relationship(self, data: Mapping[str, Any]) -> CareRelationship | None:
        if "care_relationship" in data and "care_relation" in data:
            self.note(Reason.ATTEST_MALFORMED, "care_relationship", "given twice (and legacy)")
            return None
        key = "care_relationship" if "care_relationship" in data else "care_relation"
        care = self.member(data, key, "care_relationship")
        if care is None:
            return None
        path = "care_relationship."
        service = self.code(care, "healthcare_service", path, codes.HEALTHCARE_SERVICE_SYSTEMS)
        purpose = self.code(
            care, "purpose_of_use", path, frozenset({codes.PURPOSE_OF_USE}), required=True
        )
        details = self.code(care, "purpose_of_use_details", path, None)
        decision = self.decision_ref(self.member(care, "decision_ref", path + "decision_ref"))
        if care.get("healthcare_service") is None and care.get("purpose_of_use_details") is None:
            message = "healthcare_service or purpose_of_use_details is required (ATT-43)"
            self.note(Reason.ATTEST_REQUIRED_FIELD_MISSING, path + "healthcare_service", message)
        if purpose is None or decision is None:
            return None
        return CareRelationship(
            purpose_of_use=purpose,
            decision_ref=decision,
            healthcare_service=service,
            purpose_of_use_details=details,
        )

    def decision_ref(self, data: Mapping[str, Any] | None) -> DecisionRef | None:
        if data is None:
            return None
        path = "care_relationship.decision_ref."
        decision_id = self.text(data, "id", path, required=True)
        description = self.text(data, "description", path)
        user_selected = data.get("user_selected")
        if not isinstance(user_selected, bool):
            reason = Reason.ATTEST_REQUIRED_FIELD_MISSING
            if user_selected is not None:
                reason = Reason.ATTEST_INVALID_VALUE
            self.note(reason, path + "user_selected", "must be true or false")
            return None
        if decision_id is None:
            return None
        return DecisionRef(id=decision_id, user_selected=user_selected, description=description)

    def patients(self, data: object) -> tuple[AttestedPatient, ...]:
        if data is None:
            return ()
        if not isinstance(data, list):
            self.note(Reason.ATTEST_MALFORMED, "patients", "must be a JSON array")
            return ()
        patients: list[AttestedPatient] = []
        for index, entry in enumerate(data):
            path = f"patients[{index}]."
            if not isinstance(entry, Mapping):
                self.note(Reason.ATTEST_MALFORMED, path.rstrip("."), "must be a JSON object")
                continue
            systems = self.patient_id_systems
            patients.append(
                AttestedPatient(
                    identifier=self.identifier(entry, "identifier", path, systems),
                    point_of_care=self.identifier(entry, "point_of_care", path, _ORGANISATION),
                    department=self.identifier(entry, "department", path, None),
                )
            )
        return tuple(patients)

    def toa(self, value: object) -> datetime | None:
        if value is None:
            self.note(Reason.ATTEST_REQUIRED_FIELD_MISSING, "toa", "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.note(Reason.ATTEST_INVALID_VALUE, "toa", "must be Unix seconds (an integer)")
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            self.note(Reason.ATTEST_INVALID_VALUE, "toa", "is not a representable time")
            return None

    def identifier(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        systems: frozenset[str] | None,
        *,
        required: bool = False,
    ) -> Identifier | None:
        """An `{id, name, system, authority}`; `systems` None means any system (ATT-28)."""
        value = self.optional_object(data, key, path, required=required)
        if value is None:
            return None
        where = path + key + "."
        ident = self.text(value, "id", where, required=True)
        system = self.system(value, where, systems)
        pattern = _ID_FORMATS.get(codes.oid_of(system)) if system is not None else None
        if ident is not None and pattern is not None and not pattern.fullmatch(ident):
            self.note(Reason.ATTEST_INVALID_VALUE, where + "id", f"{ident!r} is not a valid id")
            return None
        if ident is None or system is None:
            return None
        name, authority = self.text(value, "name", where), self.text(value, "authority", where)
        return Identifier(id=ident, system=system, name=name, authority=authority)

    def code(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        systems: frozenset[str] | None,
        *,
        required: bool = False,
    ) -> CodedValue | None:
        """A `{code, text, system, assigner}`; `systems` None means any system."""
        value = self.optional_object(data, key, path, required=required)
        if value is None:
            return None
        where = path + key + "."
        code = self.text(value, "code", where, required=True)
        system = self.system(value, where, systems)
        if code is None or system is None:
            return None
        text, assigner = self.text(value, "text", where), self.text(value, "assigner", where)
        return CodedValue(code=code, system=system, text=text, assigner=assigner)

    def optional_object(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> Mapping[str, Any] | None:
        if data.get(key) is None and not required:
            return None
        return self.member(data, key, path + key)

    def system(
        self, data: Mapping[str, Any], path: str, systems: frozenset[str] | None
    ) -> str | None:
        system = self.text(data, "system", path, required=True)
        if system is None:
            return None
        if systems is not None and codes.oid_of(system) not in systems:
            allowed = ", ".join(sorted(codes.urn_of(s) for s in systems))
            self.note(Reason.ATTEST_INVALID_CODE_SYSTEM, path + "system", f"must be {allowed}")
            return None
        return system

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> str | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.note(Reason.ATTEST_REQUIRED_FIELD_MISSING, path + key, "is required")
            return None
        if not isinstance(value, str):
            self.note(Reason.ATTEST_INVALID_VALUE, path + key, "must be a string")
            return None
        return value


def _without_none(value: Any) -> Any:
    """JSON-ready: absent members left out rather than written as null, tuples as arrays."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_without_none(item) for item in value]
    return value
