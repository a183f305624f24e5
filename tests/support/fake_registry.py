"""A small registry stand-in on a real HTTP port: it reads ITI-42 requests with our codecs and
answers RegistryResponses built with them, as told (accept, reject, fault, unavailable, hold).

Accepting follows the registry's rules for what it holds: a DocumentEntry whose uniqueId it
already holds with the same hash is an identical resubmission (accepted, no second entry);
another hash is XDSNonIdenticalHash; a SubmissionSet it holds already is refused as the registry
refuses it: its uniqueId XDSDuplicateUniqueIdInRegistry and its id XDSRegistryMetadataError,
both located at the SubmissionSet. It keeps the HTTP headers of every request (the repository's
token, `Dokdeling-On-Behalf-Of`, `X-Request-ID`) and checks none of them: the repository's tests of
the outbox and of its ITI-42 client need answers the real registry cannot be asked for; what the
real registry does with what the repository sends is tested against `dokdeling run`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from schemas import vocabulary as v
from schemas.ebrim.response import build_registry_response
from schemas.ebrim.submit import parse_submit_objects_request
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode
from schemas.model.messages import RegistryResponse, SubmitObjectsRequest
from schemas.model.metadata import DocumentEntry
from schemas.soap import (
    SOAP_CONTENT_TYPE,
    FaultCode,
    SoapFault,
    build_envelope,
    build_fault,
    read_envelope,
    response_action,
)
from schemas.xml import parse_xml
from tests.support.ports import free_port

HOLD_LIMIT_SECONDS = 120.0


class Behaviour(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    SENDER_FAULT = "sender-fault"
    RECEIVER_FAULT = "receiver-fault"
    UNAVAILABLE = "unavailable"
    GARBLED = "garbled"
    """Register, then answer HTTP 200 with something that is not SOAP."""
    HOLD = "hold"
    """Accept (commit) the submission, then keep the answer back until `release` is set."""
    FORBIDDEN = "forbidden"
    """Answer HTTP 403 with a Sender Fault whose reason is `forbidden_reason`, as the guard does."""


@dataclass
class FakeRegistry:
    behaviour: Behaviour = Behaviour.ACCEPT
    errors: tuple[RegistryError, ...] = ()
    forbidden_reason: str = "insufficient_scope: ITI-42 needs scope dokdeling/publish"
    received: list[SubmitObjectsRequest] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    """The HTTP headers of each request received, in order."""
    entries: dict[str, DocumentEntry] = field(default_factory=dict)
    submission_sets: dict[str, str] = field(default_factory=dict)
    """uniqueId → entryUUID of the SubmissionSets it holds."""
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = field(default_factory=free_port)
    _server: BaseWSGIServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xds/registry"

    def start(self) -> FakeRegistry:
        self._server = make_server("127.0.0.1", self.port, self.wsgi, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        return self.answer(request)(environ, start_response)

    def answer(self, request: Request) -> Response:
        envelope = read_envelope(parse_xml(request.get_data()))
        submission = parse_submit_objects_request(envelope.body)
        with self._lock:
            self.received.append(submission)
            self.headers.append(dict(request.headers))
        self.arrived.set()
        behaviour = self.behaviour
        if behaviour is Behaviour.UNAVAILABLE:
            return Response("registry down for maintenance", status=503)
        if behaviour is Behaviour.FORBIDDEN:
            fault = SoapFault(code=FaultCode.SENDER, reason=self.forbidden_reason, http_status=403)
            return Response(
                build_fault(fault), status=fault.http_status, content_type=SOAP_CONTENT_TYPE
            )
        if behaviour in (Behaviour.SENDER_FAULT, Behaviour.RECEIVER_FAULT):
            code = FaultCode.SENDER if behaviour is Behaviour.SENDER_FAULT else FaultCode.RECEIVER
            fault = SoapFault(code=code, reason=f"asked to answer a {code.value} fault")
            return Response(
                build_fault(fault, relates_to=envelope.message_id),
                status=fault.http_status,
                content_type=SOAP_CONTENT_TYPE,
            )
        if behaviour is Behaviour.REJECT:
            response = RegistryResponse(status=ResponseStatus.FAILURE, errors=self.errors)
        else:
            response = self._register(submission)
        if behaviour is Behaviour.HOLD:
            self.release.wait(HOLD_LIMIT_SECONDS)
        if behaviour is Behaviour.GARBLED:
            return Response("registered, probably", content_type="text/plain")
        body = build_envelope(
            response_action(v.ACTION_REGISTER),
            build_registry_response(response),
            relates_to=envelope.message_id,
        )
        return Response(body, content_type=SOAP_CONTENT_TYPE)

    def _register(self, submission: SubmitObjectsRequest) -> RegistryResponse:
        """All or nothing, with the resubmission rule for uniqueIds already held."""
        with self._lock:
            known = self._known_submission_sets(submission)
            if known:
                return RegistryResponse(status=ResponseStatus.FAILURE, errors=known)
            new = submission.metadata.document_entries
            clashes = [
                entry
                for entry in new
                if entry.unique_id in self.entries
                and self.entries[entry.unique_id].hash != entry.hash
            ]
            if clashes:
                return RegistryResponse(
                    status=ResponseStatus.FAILURE,
                    errors=tuple(
                        RegistryError(
                            code=XdsErrorCode.NON_IDENTICAL_HASH.value,
                            context=f"{entry.unique_id} is registered with another hash",
                        )
                        for entry in clashes
                    ),
                )
            for entry in new:
                self.entries.setdefault(entry.unique_id, entry)
            for submission_set in submission.metadata.submission_sets:
                self.submission_sets[submission_set.unique_id] = submission_set.entry_uuid
        return RegistryResponse(status=ResponseStatus.SUCCESS, errors=self.errors)

    def _known_submission_sets(self, submission: SubmitObjectsRequest) -> tuple[RegistryError, ...]:
        errors: list[RegistryError] = []
        for submission_set in submission.metadata.submission_sets:
            if submission_set.unique_id not in self.submission_sets:
                continue
            location = submission_set.entry_uuid
            errors += [
                RegistryError(
                    code=XdsErrorCode.REGISTRY_METADATA_ERROR.value,
                    context=f"pre-assigned id {location} is already present",
                    location=location,
                ),
                RegistryError(
                    code=XdsErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY.value,
                    context=f"SubmissionSet uniqueId {submission_set.unique_id} is registered",
                    location=location,
                ),
            ]
        return tuple(errors)

    def entries_registered(self) -> Iterator[DocumentEntry]:
        with self._lock:
            yield from list(self.entries.values())
