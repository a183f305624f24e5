"""The ITI-42 client against a real HTTP registry stand-in: every kind of answer is classified as
accepted, rejected, not delivered (safe to give up) or in doubt (may have been registered)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repository.model import Delivery, Sender
from repository.registry_client import SoapRegistryClient
from schemas.ebrim.submit import (
    RimSubmission,
    build_submit_objects_request,
    submission_from_rim,
)
from schemas.errors import RegistryError, Severity, XdsErrorCode
from schemas.xml import to_bytes
from tests.support import submissions as s
from tests.support.fake_registry import Behaviour, FakeRegistry
from tests.support.ports import free_port
from trustframework.client import ClientCredentials

REGISTER = submission_from_rim(RimSubmission(object_list=s.valid_submission()))
SUBMISSION = to_bytes(build_submit_objects_request(REGISTER))


def client(url: str, read_timeout: float = 10.0) -> SoapRegistryClient:
    return SoapRegistryClient(url, connect_timeout=2.0, read_timeout=read_timeout)


def test_an_accepted_submission_arrives_whole(registry: FakeRegistry) -> None:
    warning = RegistryError(
        code=XdsErrorCode.EXTRA_METADATA_NOT_SAVED.value, context="x", severity=Severity.WARNING
    )
    registry.errors = (warning,)
    answer = client(registry.url).register(SUBMISSION)
    assert answer.delivery is Delivery.ACCEPTED
    assert answer.errors == (warning,)
    (received,) = registry.received
    assert received == REGISTER


def test_a_rejection_carries_the_registry_errors_unchanged(registry: FakeRegistry) -> None:
    registry.behaviour = Behaviour.REJECT
    registry.errors = (
        RegistryError(
            code=XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH.value,
            context="SubmissionSet and DocumentEntry patient ids differ",
            location="urn:uuid:1",
        ),
    )
    answer = client(registry.url).register(SUBMISSION)
    assert answer.delivery is Delivery.REJECTED
    assert answer.errors == registry.errors


def test_busy_registries_are_asked_again(registry: FakeRegistry) -> None:
    registry.behaviour = Behaviour.REJECT
    registry.errors = (RegistryError(code=XdsErrorCode.REGISTRY_BUSY.value, context="later"),)
    assert client(registry.url).register(SUBMISSION).delivery is Delivery.NOT_DELIVERED


def test_a_sender_fault_is_a_rejection(registry: FakeRegistry) -> None:
    registry.behaviour = Behaviour.SENDER_FAULT
    answer = client(registry.url).register(SUBMISSION)
    assert answer.delivery is Delivery.REJECTED
    (error,) = answer.errors
    assert error.code == XdsErrorCode.REGISTRY_ERROR.value
    assert "asked to answer a Sender fault" in error.context


@pytest.mark.parametrize("behaviour", [Behaviour.RECEIVER_FAULT, Behaviour.UNAVAILABLE])
def test_a_registry_that_did_not_process_it_is_tried_again(
    registry: FakeRegistry, behaviour: Behaviour
) -> None:
    registry.behaviour = behaviour
    assert client(registry.url).register(SUBMISSION).delivery is Delivery.NOT_DELIVERED


def test_a_registry_that_cannot_be_reached_got_nothing() -> None:
    answer = client(f"http://127.0.0.1:{free_port()}/xds/registry").register(SUBMISSION)
    assert answer.delivery is Delivery.NOT_DELIVERED
    assert "cannot connect" in answer.detail


def test_an_answer_that_does_not_come_leaves_the_registration_in_doubt(
    registry: FakeRegistry,
) -> None:
    registry.behaviour = Behaviour.HOLD
    answer = client(registry.url, read_timeout=0.2).register(SUBMISSION)
    registry.release.set()
    assert answer.delivery is Delivery.IN_DOUBT
    assert [e.unique_id for e in registry.entries_registered()] == [s.unique_id(101)]


def test_an_answer_that_is_not_soap_leaves_the_registration_in_doubt(
    registry: FakeRegistry,
) -> None:
    registry.behaviour = Behaviour.GARBLED
    answer = client(registry.url).register(SUBMISSION)
    assert answer.delivery is Delivery.IN_DOUBT
    assert "without SOAP" in answer.detail


def test_each_request_carries_the_token_the_source_and_the_request_id(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    token_file = tmp_path / "registry-token"
    token_file.write_text("first-token\n")
    sender = Sender(organisations=("993467049",), request_id="iti41-request-1")
    registrar = SoapRegistryClient(
        registry.url,
        connect_timeout=2.0,
        read_timeout=10.0,
        credentials=ClientCredentials(token_file),
    )
    assert registrar.register(SUBMISSION, sender=sender).delivery is Delivery.ACCEPTED
    token_file.write_text("second-token")  # an agent renewed it: read again, no restart
    registrar.register(SUBMISSION)
    first, second = registry.headers
    assert first["Authorization"] == "Bearer first-token"
    assert first["Dokdeling-On-Behalf-Of"] == "993467049"
    assert first["X-Request-Id"] == "iti41-request-1"
    assert second["Authorization"] == "Bearer second-token"
    assert "Dokdeling-On-Behalf-Of" not in second


def test_nothing_is_sent_without_a_readable_token(registry: FakeRegistry, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-token"
    registrar = SoapRegistryClient(
        registry.url, connect_timeout=2.0, read_timeout=10.0, credentials=ClientCredentials(missing)
    )
    answer = registrar.register(SUBMISSION)
    assert answer.delivery is Delivery.NOT_DELIVERED
    assert "cannot read the token file" in answer.detail
    assert registry.received == []


def test_a_refusal_of_the_repositorys_credentials_is_not_delivered(registry: FakeRegistry) -> None:
    registry.behaviour = Behaviour.FORBIDDEN
    answer = client(registry.url).register(SUBMISSION)
    assert answer.delivery is Delivery.NOT_DELIVERED
    assert "insufficient_scope" in answer.detail


def test_a_publisher_refusal_rejects_the_submission(registry: FakeRegistry) -> None:
    registry.behaviour = Behaviour.FORBIDDEN
    registry.forbidden_reason = (
        "publisher_not_data_controller: document 2.999.1 is controlled by organisation "
        "993467049; this client acts for 999100009"
    )
    answer = client(registry.url).register(SUBMISSION)
    assert answer.delivery is Delivery.REJECTED
    (error,) = answer.errors
    assert error.code == XdsErrorCode.REGISTRY_ERROR.value
    assert "publisher_not_data_controller: document 2.999.1" in error.context
