"""A small XDS deployment on loopback for the replayer's tests: registry, repository, patient feed.

It answers from what it was sent, with our codecs and `schemas.endpoint.SoapEndpoint`:
- the patient feed (`POST /admin/patients`, JSON `{"patient_id": CX}`) makes a patient known;
- Register and Provide and Register store the submission, Approved, after two registry checks
  (XDSUnknownPatientId, XDSPatientIdDoesNotMatch) and, for PnR, the repository's own
  (XDSMissingDocument, XDSMissingDocumentMetadata; `size`, `hash` and `repositoryUniqueId` added);
- Update (ITI-57) stores the update as one more submission (no versioning);
- GetSubmissionSetAndContents, GetDocuments, GetFolders and GetFolderAndContents answer from the
  stored submissions (a Folder's lastUpdateTime is the time it was stored);
- Retrieve answers the stored documents as MTOM.
`FakeState.scripts` replaces the answer to an action, to play a deployment that misbehaves.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import BinaryIO, cast

from flask import Flask, Response, request
from lxml import etree
from werkzeug.serving import make_server

from schemas import vocabulary as v
from schemas.ebrim.provide import parse_provide_and_register_request
from schemas.ebrim.query import build_adhoc_query_response, parse_adhoc_query_request
from schemas.ebrim.response import build_registry_response
from schemas.ebrim.retrieve import (
    build_retrieve_document_set_response,
    parse_retrieve_document_set_request,
)
from schemas.ebrim.submit import parse_submit_objects_request
from schemas.endpoint import Handler, SoapEndpoint, SoapRequest, SoapResponse
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode, XdsFailure
from schemas.model.common import AvailabilityStatus
from schemas.model.hl7v2 import Timestamp
from schemas.model.messages import (
    AdhocQueryResponse,
    InlineContent,
    RegistryResponse,
    RetrievedDocument,
    RetrieveDocumentSetResponse,
    XdsMetadata,
)
from schemas.model.metadata import DocumentEntry, Folder, SubmissionSet
from schemas.mtom import Attachment, OutgoingAttachments
from schemas.queries import (
    GetDocumentsQuery,
    GetFolderAndContentsQuery,
    GetFoldersQuery,
    GetSubmissionSetAndContentsQuery,
    IdentifierKind,
    ObjectSelector,
    parse_stored_query,
)
from schemas.soap import response_action

REPOSITORY_UNIQUE_ID = "1.3.6.1.4.1.21367.13.40.216"
APPROVED = AvailabilityStatus.APPROVED


@dataclass(frozen=True, slots=True)
class Received:
    """A SOAP request the fake was sent: its action, payload and MIME parts (type, bytes)."""

    action: str
    payload: etree._Element
    parts: dict[str, tuple[str, bytes]]


@dataclass
class FakeState:
    """What the fake deployment knows and what it was sent."""

    patients: set[str] = field(default_factory=set)
    submissions: list[XdsMetadata] = field(default_factory=list)
    documents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    patient_headers: list[str | None] = field(default_factory=list)  # nhn-patient-nin
    scripts: dict[str, Handler] = field(default_factory=dict)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


def registry_answer(action: str, status: ResponseStatus, *errors: RegistryError) -> SoapResponse:
    response = RegistryResponse(status=status, errors=errors)
    return SoapResponse(action=response_action(action), payload=build_registry_response(response))


def failure(action: str, code: str, context: str) -> SoapResponse:
    error = RegistryError(code=code, context=context)
    return registry_answer(action, ResponseStatus.FAILURE, error)


def _stored(metadata: XdsMetadata, now: datetime) -> XdsMetadata:
    """The submission as the registry keeps it: Approved, its Folders updated now."""
    updated = Timestamp(now.strftime("%Y%m%d%H%M%S"))
    return replace(
        metadata,
        submission_sets=tuple(replace(o, status=APPROVED) for o in metadata.submission_sets),
        document_entries=tuple(replace(o, status=APPROVED) for o in metadata.document_entries),
        folders=tuple(
            replace(o, status=APPROVED, last_update_time=updated) for o in metadata.folders
        ),
        associations=tuple(replace(o, status=APPROVED) for o in metadata.associations),
    )


def _patients(metadata: XdsMetadata) -> set[str]:
    patient_ids = [
        *(o.patient_id for o in metadata.submission_sets),
        *(o.patient_id for o in metadata.document_entries),
        *(o.patient_id for o in metadata.folders),
    ]
    return {str(patient_id) for patient_id in patient_ids if patient_id is not None}


def _selects(selector: ObjectSelector, found: DocumentEntry | SubmissionSet | Folder) -> bool:
    by_unique_id = selector.kind is IdentifierKind.UNIQUE_ID
    return (found.unique_id if by_unique_id else found.entry_uuid) in selector.values


class FakeRegistry:
    """The transactions, over one `FakeState`."""

    def __init__(self, state: FakeState) -> None:
        self.state = state

    def register_metadata(self, action: str, metadata: XdsMetadata) -> SoapResponse:
        patients = _patients(metadata)
        unknown = sorted(patients - self.state.patients)
        if unknown:
            return failure(action, XdsErrorCode.UNKNOWN_PATIENT_ID, f"{unknown[0]} is not known")
        if len(patients) > 1:
            context = f"patient ids {sorted(patients)} differ"
            return failure(action, XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH, context)
        self.state.submissions.append(_stored(metadata, self.state.clock()))
        return registry_answer(action, ResponseStatus.SUCCESS)

    def register(self, soap: SoapRequest) -> SoapResponse:
        submission = parse_submit_objects_request(soap.envelope.body)
        return self.register_metadata(v.ACTION_REGISTER, submission.metadata)

    def update(self, soap: SoapRequest) -> SoapResponse:
        submission = parse_submit_objects_request(soap.envelope.body)
        return self.register_metadata(v.ACTION_UPDATE, submission.metadata)

    def provide_and_register(self, soap: SoapRequest) -> SoapResponse:
        action = v.ACTION_PROVIDE_AND_REGISTER
        provided = parse_provide_and_register_request(soap.envelope.body, soap.attachment)
        documents = {document.id: document.content for document in provided.documents}
        metadata = provided.submission.metadata
        entries: list[DocumentEntry] = []
        for entry in metadata.document_entries:
            content = documents.pop(entry.entry_uuid, None)
            if content is None:
                return failure(
                    action, XdsErrorCode.MISSING_DOCUMENT, f"{entry.entry_uuid} has no document"
                )
            with content.open() as stream:
                data = stream.read()
            self.state.documents[entry.unique_id] = (data, entry.mime_type)
            sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
            stored = replace(
                entry, hash=sha1, size=len(data), repository_unique_id=REPOSITORY_UNIQUE_ID
            )
            entries.append(stored)
        if documents:
            context = f"documents {sorted(documents)} have no DocumentEntry"
            return failure(action, XdsErrorCode.MISSING_DOCUMENT_METADATA, context)
        with_documents = replace(metadata, document_entries=tuple(entries))
        return self.register_metadata(action, with_documents)

    def _entries(self, selector: ObjectSelector) -> Iterator[DocumentEntry]:
        for submission in self.state.submissions:
            yield from (e for e in submission.document_entries if _selects(selector, e))

    def _folders(self, selector: ObjectSelector) -> Iterator[Folder]:
        for submission in self.state.submissions:
            yield from (f for f in submission.folders if _selects(selector, f))

    def _submission(self, selector: ObjectSelector) -> XdsMetadata:
        for submission in self.state.submissions:
            if any(_selects(selector, ss) for ss in submission.submission_sets):
                return submission
        return XdsMetadata()

    def _folder_contents(self, selector: ObjectSelector) -> XdsMetadata:
        folders = tuple(self._folders(selector))
        ids = {folder.entry_uuid for folder in folders}
        memberships = tuple(
            association
            for submission in self.state.submissions
            for association in submission.associations
            if association.source in ids
        )
        members = {association.target for association in memberships}
        entries = tuple(
            entry
            for submission in self.state.submissions
            for entry in submission.document_entries
            if entry.entry_uuid in members
        )
        return XdsMetadata(folders=folders, document_entries=entries, associations=memberships)

    def _answer(self, soap: SoapRequest) -> AdhocQueryResponse:
        try:
            query = parse_stored_query(parse_adhoc_query_request(soap.envelope.body))
        except XdsFailure as exc:
            return AdhocQueryResponse(status=ResponseStatus.FAILURE, errors=exc.errors)
        if isinstance(query, GetSubmissionSetAndContentsQuery):
            metadata = self._submission(query.submission_set)
        elif isinstance(query, GetDocumentsQuery):
            metadata = XdsMetadata(document_entries=tuple(self._entries(query.documents)))
        elif isinstance(query, GetFoldersQuery):
            metadata = XdsMetadata(folders=tuple(self._folders(query.folders)))
        elif isinstance(query, GetFolderAndContentsQuery):
            metadata = self._folder_contents(query.folder)
        else:
            error = RegistryError(code=XdsErrorCode.REGISTRY_ERROR, context="not answered here")
            return AdhocQueryResponse(status=ResponseStatus.FAILURE, errors=(error,))
        return AdhocQueryResponse(status=ResponseStatus.SUCCESS, metadata=metadata)

    def stored_query(self, soap: SoapRequest) -> SoapResponse:
        payload = build_adhoc_query_response(self._answer(soap))
        return SoapResponse(action=response_action(v.ACTION_STORED_QUERY), payload=payload)

    def retrieve(self, soap: SoapRequest) -> SoapResponse:
        requested = parse_retrieve_document_set_request(soap.envelope.body).documents
        found, errors = [], []
        for document in requested:
            stored = self.state.documents.get(document.document_unique_id)
            if stored is None or document.repository_unique_id != REPOSITORY_UNIQUE_ID:
                context = f"{document.document_unique_id} is not here"
                errors.append(
                    RegistryError(code=XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR, context=context)
                )
                continue
            data, mime_type = stored
            found.append(
                RetrievedDocument(
                    repository_unique_id=REPOSITORY_UNIQUE_ID,
                    document_unique_id=document.document_unique_id,
                    mime_type=mime_type,
                    content=InlineContent(data),
                )
            )
        status = ResponseStatus.SUCCESS
        if errors:
            status = ResponseStatus.PARTIAL_SUCCESS if found else ResponseStatus.FAILURE
        response = RetrieveDocumentSetResponse(
            status=status, documents=tuple(found), errors=tuple(errors)
        )
        parts = OutgoingAttachments()
        payload = build_retrieve_document_set_response(response, parts.attach)
        return SoapResponse(
            action=response_action(v.ACTION_RETRIEVE), payload=payload, attachments=parts.parts
        )


def _scripted(state: FakeState, action: str, handler: Handler) -> Handler:
    """`handler`, unless the test has scripted another answer to `action` by the time it runs."""

    def answer(soap: SoapRequest) -> SoapResponse:
        parts = {}
        for content_id, content in soap.attachments.items():
            with content.open() as stream:
                content_type = content.content_type if isinstance(content, Attachment) else ""
                parts[content_id] = (content_type, stream.read())
        state.received.append(Received(action, copy.deepcopy(soap.envelope.body), parts))
        return state.scripts.get(action, handler)(soap)

    return answer


def create_app(state: FakeState) -> Flask:
    fake = FakeRegistry(state)
    registry = SoapEndpoint(
        {
            v.ACTION_REGISTER: _scripted(state, v.ACTION_REGISTER, fake.register),
            v.ACTION_STORED_QUERY: _scripted(state, v.ACTION_STORED_QUERY, fake.stored_query),
            v.ACTION_UPDATE: _scripted(state, v.ACTION_UPDATE, fake.update),
        }
    )
    repository = SoapEndpoint(
        {
            v.ACTION_PROVIDE_AND_REGISTER: _scripted(
                state, v.ACTION_PROVIDE_AND_REGISTER, fake.provide_and_register
            ),
            v.ACTION_RETRIEVE: _scripted(state, v.ACTION_RETRIEVE, fake.retrieve),
        }
    )
    app = Flask(__name__)

    def serve(endpoint: SoapEndpoint) -> Response:
        state.authorizations.append(request.headers.get("Authorization"))
        state.patient_headers.append(request.headers.get("nhn-patient-nin"))
        state.content_types.append(request.content_type or "")
        body = cast(BinaryIO, request.stream)
        answer = endpoint.handle(request.content_type or "", body, dict(request.headers))
        return Response(answer.body, status=answer.status, content_type=answer.content_type)

    app.add_url_rule("/xds/registry", "registry", lambda: serve(registry), methods=["POST"])
    app.add_url_rule("/xds/repository", "repository", lambda: serve(repository), methods=["POST"])

    @app.post("/admin/patients")
    def feed() -> tuple[dict[str, str], int]:
        state.authorizations.append(request.headers.get("Authorization"))
        body = request.get_json(silent=True) or {}
        patient_id = body.get("patient_id")
        if not isinstance(patient_id, str) or not patient_id:
            return {"error": "patient_id is required"}, 400
        state.patients.add(patient_id)
        return {"patient_id": patient_id}, 201

    return app


@dataclass(frozen=True, slots=True)
class RunningFake:
    state: FakeState
    base_url: str

    @property
    def registry(self) -> str:
        return f"{self.base_url}/xds/registry"

    @property
    def repository(self) -> str:
        return f"{self.base_url}/xds/repository"


def serve_fake(state: FakeState) -> Iterator[RunningFake]:
    """Serve a fake deployment on a free loopback port until the generator is closed."""
    server = make_server("127.0.0.1", 0, create_app(state), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield RunningFake(state, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
