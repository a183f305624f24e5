"""The repository in a real deployment: `dokdeling run` (registry and repository under gunicorn,
the worker, tokens from its development issuer), called over HTTP as sources and consumers call
it: ITI-41 → ITI-18 → ITI-43, what the registry holds, resubmission, the registry's refusal
passed back, the publisher rule carried to the registry on the source's behalf, a registration
whose answer was lost, and the repository's audit chain verified by `dokdeling audit verify`."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from lxml import etree

from dokdeling.cli import main
from dokdeling.registry_token import DEV_REPOSITORY_CLIENT, token_files
from repository.model import RegistrationMode, RegistrationState, Sender
from repository.registry_client import SoapRegistryClient
from repository.services.provide import Source
from repository.services.registration import Registrar
from repository.settings import DEVELOPMENT_REPOSITORY_UNIQUE_ID
from repository.wiring import build_services
from schemas import vocabulary as v
from schemas.ebrim.query import parse_adhoc_query_response
from schemas.ebrim.response import parse_registry_response
from schemas.errors import ResponseStatus, XdsErrorCode
from schemas.model import DocumentEntry
from schemas.norway import oids
from schemas.soap import build_request, read_envelope, read_fault
from schemas.xml import parse_xml
from tests.support import submissions as s
from tests.support.deployment import Deployment
from tests.support.people import synthetic_fnr
from tests.support.registry_requests import find_documents, submission_element
from tests.support.relay import Relay
from tests.support.repository import (
    MovableClock,
    RecordingQueue,
    entry_id,
    migrated_runtime,
    provide_request,
    provided_for,
    repository_settings,
    with_unique_ids,
)
from tests.support.repository_http import RepositoryHttp
from trustframework.client import ClientCredentials
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import DevIssuer, Persona, TokenRequest
from trustframework.guard import ON_BEHALF_OF_HEADER

pytestmark = pytest.mark.slow

OUS = "993467049"  # the author institution of the test documents: their data controller
OTHER_SOURCE = "999100009"  # the development publisher's organisation
NO_CONTROLLER = "Parma Community^^^^^^^^^1.2.3"  # names no organisation number (IHE test data)


class Callers:
    """Tokens the development issuer of the deployment signs, and calls with them."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.issuer = DevIssuer.from_data_dir(deployment.data_dir)
        self.repository = RepositoryHttp(
            deployment.repository_endpoint, DEVELOPMENT_REPOSITORY_UNIQUE_ID
        )

    def bearer(self, persona: Persona, **request: Any) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.issuer.issue(TokenRequest(persona=persona, **request))}"
        }

    def source(self, organisation: str = OUS) -> dict[str, str]:
        return self.bearer(Persona.PUBLISHER, extra_claims={CLAIM_ORGNR_PARENT: organisation})

    def gp(self, patient: str) -> dict[str, str]:
        return self.bearer(Persona.GP, patient=patient)

    def find(self, patient: str) -> tuple[DocumentEntry, ...]:
        """ITI-18 FindDocuments at the registry, as the patient's GP."""
        answer = self.registry(v.ACTION_STORED_QUERY, find_documents(patient), self.gp(patient))
        response = parse_adhoc_query_response(answer)
        assert response.status is ResponseStatus.SUCCESS, response.errors
        return response.metadata.document_entries

    def registry(
        self, action: str, payload: etree._Element, headers: dict[str, str]
    ) -> etree._Element:
        endpoint = self.deployment.registry_endpoint
        response = requests.post(
            endpoint,
            data=build_request(action, payload, to=endpoint),
            headers={"Content-Type": f'application/soap+xml; action="{action}"', **headers},
            timeout=60,
        )
        return read_envelope(parse_xml(response.content)).body


@pytest.fixture(scope="module")
def callers(deployment: Deployment) -> Callers:
    return Callers(deployment)


def fresh_patient() -> str:
    """A synthetic fødselsnummer of its own: the registry knows it without a feed."""
    seed = uuid.uuid4().int
    born = date(1940, 1, 1) + timedelta(days=seed % 20000)
    return f"{synthetic_fnr(born, 100 + seed % 300)}^^^&{oids.FODSELSNUMMER}&ISO"


def fresh_unique_id() -> str:
    return f"2.25.{uuid.uuid4().int}"


def test_provided_documents_are_found_at_the_registry_and_retrieved(callers: Callers) -> None:
    patient, unique_id = fresh_patient(), fresh_unique_id()
    content = b"%PDF-1.7 epikrise etter innleggelse\n"
    objects = with_unique_ids(provided_for(patient), [unique_id])

    provided = callers.repository.provide(objects, [content], callers.source())
    assert provided.response_status is ResponseStatus.SUCCESS, provided.errors
    (entry,) = callers.find(patient)
    assert entry.unique_id == unique_id
    assert entry.repository_unique_id == DEVELOPMENT_REPOSITORY_UNIQUE_ID
    assert entry.hash == hashlib.sha1(content, usedforsecurity=False).hexdigest()
    assert entry.size == len(content)
    retrieved = callers.repository.retrieve([unique_id], callers.gp(patient))
    assert retrieved.documents == {unique_id: content}

    again = with_unique_ids(provided_for(patient), [unique_id])  # a new SubmissionSet
    resubmitted = callers.repository.provide(again, [content], callers.source())
    assert resubmitted.response_status is ResponseStatus.SUCCESS, resubmitted.errors
    assert [e.unique_id for e in callers.find(patient)] == [unique_id]


def test_the_registrys_refusal_reaches_the_source_and_nothing_is_served(
    callers: Callers,
) -> None:
    unfed = f"{uuid.uuid4().hex[:16]}^^^&{v.IHE_TEST_PATIENT_AUTHORITY}&ISO"
    unique_id = fresh_unique_id()
    objects = with_unique_ids(provided_for(unfed), [unique_id])
    answer = callers.repository.provide(objects, [b"notat"], callers.source())
    assert answer.response_status is ResponseStatus.FAILURE
    assert answer.codes == [XdsErrorCode.UNKNOWN_PATIENT_ID.value]
    retrieved = callers.repository.retrieve([unique_id], callers.gp(unfed))
    assert retrieved.codes == [XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value]


def replacement_of(patient: str, target: str) -> Any:
    """A new document of `patient` that names no data controller and replaces `target`."""

    def uncontrolled(entry: Any) -> Any:
        author = s.author(
            entry.id,
            v.DE_AUTHOR,
            s.slot(v.SLOT_AUTHOR_INSTITUTION, NO_CONTROLLER),
            s.slot(v.SLOT_AUTHOR_ROLE, "Utskrivende lege"),
        )
        return s.with_classifications(s.without_classifications(entry, v.DE_AUTHOR), author)

    objects = with_unique_ids(provided_for(patient), [fresh_unique_id()])
    objects = s.replace_object(objects, entry_id(1), uncontrolled)
    rplc = replace(s.association(v.ASSOC_REPLACE, entry_id(1), target), id="Replacement01")
    return s.with_objects(objects, rplc)


def test_the_registry_holds_the_repository_to_the_sources_organisation(
    callers: Callers,
) -> None:
    patient = fresh_patient()
    ous_document = with_unique_ids(provided_for(patient), [fresh_unique_id()])
    assert callers.repository.provide(ous_document, [b"a"], callers.source()).codes == []
    (registered,) = callers.find(patient)

    # another source replacing OUS's document: the repository cannot see the target, the
    # registry does, and refuses on the source's behalf
    replacing = replacement_of(patient, registered.entry_uuid)
    answer = callers.repository.provide(replacing, [b"b"], callers.source(OTHER_SOURCE))
    assert answer.response_status is ResponseStatus.FAILURE
    (error,) = answer.errors
    assert error.code == XdsErrorCode.REGISTRY_ERROR.value
    assert "publisher_not_data_controller" in error.context
    assert f"controlled by organisation {OUS}; this client acts for {OTHER_SOURCE}" in (
        error.context
    )
    assert [e.entry_uuid for e in callers.find(patient)] == [registered.entry_uuid]

    by_ous = callers.repository.provide(
        replacement_of(patient, registered.entry_uuid), [b"c"], callers.source()
    )
    assert by_ous.response_status is ResponseStatus.SUCCESS, by_ous.errors


def repository_client(callers: Callers) -> dict[str, str]:
    claims = {"client_id": DEV_REPOSITORY_CLIENT, CLAIM_ORGNR_PARENT: "999100007"}
    return callers.bearer(Persona.PUBLISHER, scopes=("dokdeling/publish",), extra_claims=claims)


@pytest.mark.parametrize(
    ("token", "on_behalf_of", "allowed"),
    [
        (repository_client, OUS, True),
        (repository_client, None, False),
        (repository_client, OTHER_SOURCE, False),
        (lambda callers: callers.source(OTHER_SOURCE), OUS, False),  # not a repository
    ],
)
def test_only_a_trusted_repository_registers_for_the_source_it_names(
    callers: Callers, token: Any, on_behalf_of: str | None, allowed: bool
) -> None:
    headers = token(callers) | ({ON_BEHALF_OF_HEADER: on_behalf_of} if on_behalf_of else {})
    body = callers.registry(v.ACTION_REGISTER, submission_element(s.valid_submission()), headers)
    fault = read_fault(body)
    if allowed:
        assert fault is None
        response = parse_registry_response(body)
        assert response.status is ResponseStatus.SUCCESS, response.errors
    else:
        assert fault is not None
        assert fault.reason.startswith("publisher_not_data_controller: ")


def test_dokdeling_run_keeps_the_repositorys_token_private(deployment: Deployment) -> None:
    token_file, _ = token_files(deployment.data_dir)
    assert token_file.stat().st_mode & 0o077 == 0
    assert token_file.read_text().count(".") == 2  # a compact JWS


def test_a_registration_whose_answer_was_lost_ends_registered_once(
    callers: Callers, deployment: Deployment, tmp_path: Path
) -> None:
    relay = Relay(deployment.registry_endpoint).start()
    try:
        token_file, _ = token_files(deployment.data_dir)
        variables = {
            "REGISTRY_READ_TIMEOUT": "0.5",
            "REPOSITORY_REGISTRY_TOKEN_FILE": str(token_file),
        }
        settings = repository_settings(tmp_path, relay.url, variables)
        services = build_services(settings, migrated_runtime(settings), queue=RecordingQueue())
        clock = MovableClock()
        registrar = Registrar(
            store=services.store,
            storage=services.storage,
            registry=SoapRegistryClient(
                relay.url,
                connect_timeout=2,
                read_timeout=0.5,
                credentials=ClientCredentials(token_file),
            ),
            policy=settings.registration,
            clock=clock,
        )
        patient, unique_id = fresh_patient(), fresh_unique_id()
        objects = with_unique_ids(provided_for(patient), [unique_id])
        request = provide_request([b"epikrise"], objects)
        source = Source(sender=Sender(organisations=(OUS,)))
        registration = services.provide.provide(
            request, mode=RegistrationMode.DEFERRED, source=source
        )
        relay.hold.set()  # the registry commits; its answer is too late for the repository
        assert registrar.attempt(registration.registration_id).state is RegistrationState.PENDING
        relay.hold.clear()
        relay.release.set()
        clock.advance(timedelta(minutes=5))
        result = registrar.attempt(registration.registration_id)
        assert result.state is RegistrationState.REGISTERED
        assert relay.forwarded == 2
        assert [e.unique_id for e in callers.find(patient)] == [unique_id]
    finally:
        relay.stop()


def test_the_repositorys_audit_chain_verifies(callers: Callers, deployment: Deployment) -> None:
    patient = fresh_patient()
    callers.repository.retrieve([fresh_unique_id()], callers.gp(patient))
    result = CliRunner().invoke(
        main,
        ["audit", "verify", "--service", "repository"],
        env={"DOKDELING_DATA_DIR": str(deployment.data_dir)},
    )
    assert result.exit_code == 0, result.output
    assert "repository audit chain intact" in result.output
