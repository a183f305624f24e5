"""The development issuer: HelseID-shaped access tokens for demos, tests and the tools.

Its issuer is `urn:dokdeling:dev-issuer` (DEV_ISSUER). No service trusts it unless that string is
in DOKDELING_TRUST_ISSUERS and DOKDELING_TRUST_JWKS points at its JWKS (`dokdeling token jwks`).
The RS256 signing key is made on first use under `<DOKDELING_DATA_DIR>/dev-issuer/` (folder 0700,
key 0600, never in the repository), beside `jwks.json` with its public half.

Every person in its personas is synthetic (fødselsnummer with month + 80); organisation numbers
and HPR numbers are made up.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from trustframework import codes
from trustframework import context as c
from trustframework.attest import (
    ATTEST_CLAIM,
    Attest,
    AttestedPatient,
    CareRelationship,
    CodedValue,
    DecisionRef,
    Identifier,
    Practitioner,
)
from trustframework.client import read_private_jwk, write_private_jwk
from trustframework.settings import DEFAULT_AUDIENCE, Scopes

DEV_ISSUER: Final = "urn:dokdeling:dev-issuer"
SIGNING_KEY_FILE: Final = "signing-key.json"
JWKS_FILE: Final = "jwks.json"
DEFAULT_PATIENT: Final = "24929020061"  # synthetic: born 24.12.1990, month + 80
_ORG_SYSTEM = codes.urn_of(codes.ENHETSREGISTERET)


class Persona(StrEnum):
    GP = "gp"  # fastlege, TREAT
    EMERGENCY = "emergency"  # legevakt, ETREAT
    NURSING_HOME = "nursing-home"  # sykehjemssykepleier, COC
    BTG = "btg"  # legevaktlege breaking the glass
    CITIZEN = "citizen"  # a citizen reading their own documents
    PUBLISHER = "publisher"  # a publishing system (no person)


@dataclass(frozen=True, slots=True)
class _Staff:
    pid: str
    name: str
    hpr: str
    authorization: tuple[str, str]  # 9060 code, text
    organisation: tuple[str, str]  # org.nr, name
    service: tuple[str, str, str]  # code, text, Volven OID
    purpose: codes.PurposeOfUse


_EMERGENCY = _Staff(
    "30897920170",
    "Legevaktlege Testesen",
    "9910002",
    ("LE", "Lege"),
    ("999100002", "DOKDELING TESTLEGEVAKT"),
    ("KX02", "Legevakt", "2.16.578.1.12.4.1.1.8655"),
    codes.PurposeOfUse.ETREAT,
)
_STAFF: Final = {
    Persona.GP: _Staff(
        "11826820189",
        "Fastlege Testesen",
        "9910001",
        ("LE", "Lege"),
        ("999100001", "DOKDELING TESTLEGEKONTOR"),
        ("KX17", "Fastlege, liste uten fast lege", "2.16.578.1.12.4.1.1.8655"),
        codes.PurposeOfUse.TREAT,
    ),
    Persona.EMERGENCY: _EMERGENCY,
    Persona.BTG: replace(_EMERGENCY, purpose=codes.PurposeOfUse.BTG),
    Persona.NURSING_HOME: _Staff(
        "05858320005",
        "Sykepleier Testesen",
        "9910003",
        ("SP", "Sykepleier"),
        ("999100003", "DOKDELING TESTSYKEHJEM"),
        ("KP01", "Legetjeneste ved sykehjem", "2.16.578.1.12.4.1.1.8663"),
        codes.PurposeOfUse.COC,
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRequest:
    """What to put in a token; None means the persona's default."""

    persona: Persona = Persona.GP
    patient: str | None = None  # national id number, or a CX `id^^^&oid&ISO`
    scopes: tuple[str, ...] | None = None
    pid: str | None = None
    hpr_number: str | None = None
    audience: str = DEFAULT_AUDIENCE
    lifetime_seconds: int = 3600
    toa: int | None = None
    dpop_jkt: str | None = None
    security_level: str = c.REQUIRED_SECURITY_LEVEL
    extra_claims: dict[str, Any] = field(default_factory=dict)


class DevIssuer:
    """Signs tokens with a key kept in `key_dir` (made on first use)."""

    def __init__(self, key_dir: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.key_dir = key_dir
        self.clock = clock
        self._key: RSAKey | None = None

    @classmethod
    def from_data_dir(cls, data_dir: Path) -> DevIssuer:
        return cls(data_dir / "dev-issuer")

    @property
    def jwks_path(self) -> Path:
        return self.key_dir / JWKS_FILE

    def signing_key(self) -> RSAKey:
        if self._key is None:
            self._key = _load_or_create_key(self.key_dir)
        return self._key

    def jwks(self) -> dict[str, Any]:
        """The public JWKS a service's DOKDELING_TRUST_JWKS should point at."""
        return {"keys": [self.signing_key().as_dict(private=False, alg="RS256", use="sig")]}

    def issue(self, request: TokenRequest, scopes: Scopes | None = None) -> str:
        key = self.signing_key()
        header = {"alg": "RS256", "typ": "at+jwt", "kid": key.kid}
        claims = self.claims(request, scopes or Scopes.with_prefix())
        return jwt.encode(header, claims, key, algorithms=["RS256"])

    def claims(self, request: TokenRequest, scopes: Scopes) -> dict[str, Any]:
        now = int(self.clock())
        claims: dict[str, Any] = {
            "iss": DEV_ISSUER,
            "aud": request.audience,
            "iat": now,
            "nbf": now,
            "exp": now + request.lifetime_seconds,
            "jti": uuid.uuid4().hex,
            "scope": list(request.scopes or _default_scopes(request.persona, scopes)),
        }
        if request.dpop_jkt is not None:
            claims["cnf"] = {"jkt": request.dpop_jkt}
        claims.update(_persona_claims(request, now))
        claims.update(request.extra_claims)
        return claims


def _default_scopes(persona: Persona, scopes: Scopes) -> tuple[str, ...]:
    if persona is Persona.CITIZEN:
        return (scopes.citizen,)
    if persona is Persona.PUBLISHER:
        return (scopes.publish, scopes.update, scopes.delete)
    return (scopes.read_documentreferences, scopes.read_document)


def _persona_claims(request: TokenRequest, now: int) -> dict[str, Any]:
    persona = request.persona
    if persona is Persona.PUBLISHER:
        return {"client_id": "dokdeling-dev-publisher", c.CLAIM_ORGNR_PARENT: "999100009"}
    if persona is Persona.CITIZEN:
        number, _ = _patient_id(request.patient or DEFAULT_PATIENT)
        return {
            "client_id": "dokdeling-dev-helsenorge",
            c.CLAIM_PID: request.pid or number,
            c.CLAIM_SECURITY_LEVEL: request.security_level,
            "name": "Pasient Testesen",
        }
    staff = _STAFF[persona]
    pid, hpr = request.pid or staff.pid, request.hpr_number or staff.hpr
    attest = _attest(staff, pid=pid, hpr=hpr, patient=request.patient, toa=request.toa or now)
    return {
        "client_id": "dokdeling-dev-epj",
        c.CLAIM_CLIENT_NAME: "DOKDELING DEV EPJ",
        c.CLAIM_ORGNR_PARENT: staff.organisation[0],
        c.CLAIM_PID: pid,
        c.CLAIM_SECURITY_LEVEL: request.security_level,
        c.CLAIM_HPR_NUMBER: hpr,
        "name": staff.name,
        ATTEST_CLAIM: attest.to_claim(),
    }


def _attest(staff: _Staff, *, pid: str, hpr: str, patient: str | None, toa: int) -> Attest:
    org_id, org_name = staff.organisation
    organisation = Identifier(id=org_id, name=org_name, system=_ORG_SYSTEM)
    patient_identifier = None
    if patient is not None:
        number, oid = _patient_id(patient)
        patient_identifier = Identifier(id=number, system=codes.urn_of(oid))
    practitioner = Practitioner(
        identifier=Identifier(id=pid, name=staff.name, system=codes.urn_of(codes.FODSELSNUMMER)),
        hpr_nr=Identifier(id=hpr, system=codes.urn_of(codes.HPR_NUMMER)),
        authorization=CodedValue(
            code=staff.authorization[0],
            text=staff.authorization[1],
            system=codes.urn_of(codes.HELSEPERSONELLKATEGORI),
        ),
        legal_entity=organisation,
        point_of_care=organisation,
    )
    care = CareRelationship(
        purpose_of_use=CodedValue(
            code=staff.purpose.value, system=codes.urn_of(codes.PURPOSE_OF_USE)
        ),
        healthcare_service=CodedValue(
            code=staff.service[0], text=staff.service[1], system=codes.urn_of(staff.service[2])
        ),
        decision_ref=DecisionRef(id=uuid.uuid4().hex, user_selected=True),
    )
    patients = (AttestedPatient(identifier=patient_identifier, point_of_care=organisation),)
    when = datetime.fromtimestamp(toa, UTC)
    return Attest(practitioner=practitioner, care_relationship=care, patients=patients, toa=when)


def _patient_id(patient: str) -> tuple[str, str]:
    """(number, authority OID) from a CX or a bare national id number."""
    if "^" in patient:
        number, _, rest = patient.partition("^")
        authority = rest.split("&")[1] if rest.count("&") >= 1 else ""
        return number, authority
    return patient, codes.national_id_system(patient)


# --------------------------------------------------------------------------- keys on disk
def _load_or_create_key(key_dir: Path) -> RSAKey:
    path = key_dir / SIGNING_KEY_FILE
    if not path.exists():
        write_private_jwk(path, RSAKey.generate_key(2048, private=True, auto_kid=True))
    key = read_private_jwk(path)
    if not isinstance(key, RSAKey):
        raise ValueError(f"{path} does not hold an RSA key")
    public = {"keys": [key.as_dict(private=False, alg="RS256", use="sig")]}
    text = json.dumps(public, indent=2) + "\n"
    jwks = key_dir / JWKS_FILE
    if not jwks.exists() or jwks.read_text(encoding="utf-8") != text:
        jwks.write_text(text, encoding="utf-8")
    return key


# --------------------------------------------------------------------------- DPoP helpers
def new_dpop_key(path: Path) -> ECKey:
    """The P-256 key at `path`, made (0600) when the file does not exist yet."""
    if not path.exists():
        write_private_jwk(path, ECKey.generate_key("P-256", private=True))
    key = read_private_jwk(path)
    if not isinstance(key, ECKey):
        raise ValueError(f"{path} does not hold an EC key")
    return key
