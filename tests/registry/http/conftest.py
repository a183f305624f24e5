"""The registry app on a temporary SQLite database, called over HTTP (Flask's test client) with
development-issuer tokens, and what it audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from registry.state import registry_state
from schemas import vocabulary as v
from schemas.ebrim.response import read_registry_errors, read_status
from schemas.ebrim.rim import RimObjectList
from schemas.errors import RegistryError, ResponseStatus
from schemas.soap import SoapFault, build_request, read_envelope, read_fault
from schemas.xml import parse_xml
from tests.support.registry_app import RegistryApp, registry_app
from tests.support.registry_requests import submission_element
from tests.support.submissions import (
    PATIENT_ID,
    document_entry,
    has_member,
    submission_set,
    uuid_for,
    valid_submission,
    with_confidentiality,
)
from trustframework.audit.record import AuditRecord
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import Persona

OUS = "993467049"  # the author institution of tests.support.submissions: the data controller
ENDPOINT = "/xds/registry"


@dataclass
class Answer:
    """One HTTP answer of the SOAP endpoint."""

    status: int
    headers: dict[str, str]
    payload: etree._Element

    @property
    def fault(self) -> SoapFault | None:
        return read_fault(self.payload)

    @property
    def response_status(self) -> ResponseStatus:
        return read_status(self.payload)

    @property
    def errors(self) -> tuple[RegistryError, ...]:
        return read_registry_errors(self.payload)

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors if e.is_error]

    def objects(self, local_name: str) -> list[etree._Element]:
        return list(self.payload.iter(f"{{{v.NS_RIM}}}{local_name}"))

    def ids(self, local_name: str) -> set[str]:
        return {o.get("id", "") for o in self.objects(local_name)}


class Registry:
    """The app under test and its callers."""

    def __init__(self, running: RegistryApp) -> None:
        self.running = running
        self.client = running.app.test_client()
        self.state = registry_state(running.app)

    def token(self, persona: Persona = Persona.PUBLISHER, **request: Any) -> str:
        if persona is Persona.PUBLISHER and "extra_claims" not in request:
            request["extra_claims"] = {CLAIM_ORGNR_PARENT: OUS}
        return self.running.token(persona, **request)

    def call(
        self,
        action: str,
        payload: etree._Element,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        response = self.client.post(
            ENDPOINT,
            data=build_request(action, payload),
            content_type="application/soap+xml",
            headers=sent,
        )
        body = read_envelope(parse_xml(response.data)).body
        return Answer(status=response.status_code, headers=dict(response.headers), payload=body)

    def register(
        self, objects: RimObjectList, token: str | None = None, *, renew: bool = False
    ) -> Answer:
        """ITI-42 of `objects` (their own ids; `renew` gives them fresh ones)."""
        element = submission_element(objects, renew=renew)
        return self.call(v.ACTION_REGISTER, element, token or self.token())

    def read(
        self, payload: etree._Element, action: str = v.ACTION_STORED_QUERY, **token: Any
    ) -> Answer:
        persona = token.pop("persona", Persona.GP)
        token.setdefault("patient", PATIENT_ID)
        return self.call(action, payload, self.token(persona, **token))

    def records(self) -> list[AuditRecord]:
        return list(self.state.audit.store.records())


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(registry_app(tmp_path))


def nors_submission() -> RimObjectList:
    """Two documents of the patient; the second is sperret (NORS)."""
    return with_confidentiality(valid_submission(2), uuid_for("document-2"), "NORS", "Sperret")


def for_patient(patient: str, name: str = "other", number: int = 9) -> RimObjectList:
    """A SubmissionSet with one DocumentEntry of `patient` (ids and uniqueIds from `name`)."""
    ss = submission_set(uuid_for(f"{name}-set"), patient_id=patient)
    ss = replace(
        ss,
        external_identifiers=tuple(
            replace(e, value=f"2.999.48.{number}") if e.scheme == v.SS_UNIQUE_ID else e
            for e in ss.external_identifiers
        ),
    )
    entry = document_entry(uuid_for(f"{name}-document"), number=number, patient_id=patient)
    return RimObjectList(
        objects=(ss, entry, has_member(ss.id, entry.id, v.SUBMISSION_SET_STATUS_ORIGINAL))
    )
