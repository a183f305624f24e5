"""ITI-41 Provide and Register Document Set-b: store the documents, then register them.

validate (ITI-41) → pair entries and documents → sizes, declared hash/size, uniqueIds already held
→ bytes to storage (size, SHA-1, SHA-256 verified) → `repositoryUniqueId`, `hash`, `size` set on
each DocumentEntry → staged documents + outbox row in one transaction → registration task
enqueued after the commit → in wait mode, the registry's outcome is the answer.

Until the registry accepts, the documents are staged and never served; every failure deletes the
bytes this request stored. Deferred mode answers once the documents and the outbox row are
durable; the outbox guarantees the registration is attempted until the registry answers.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from repository.model import (
    AccessMetadata,
    NewDocument,
    NewRegistration,
    Registration,
    RegistrationMode,
    RegistrationState,
    Sender,
)
from repository.services.document_checks import (
    ProvidedDocument,
    already_held,
    check_declared,
    check_sizes,
    digest_of,
    pair_documents,
)
from repository.services.policy import RegistrationPolicy
from repository.services.ports import (
    Clock,
    RegistrationQueue,
    RepositoryStore,
    UniqueIdTaken,
    utc_now,
)
from repository.services.purge import purge_documents
from repository.services.registration import OutcomeWaiter
from repository.storage.documents import (
    ContentMismatch,
    DocumentStorage,
    DocumentTooLarge,
    StorageError,
    new_storage_key,
)
from schemas import vocabulary as v
from schemas.ebrim.provide import RimProvideAndRegister, provide_and_register_from_rim
from schemas.ebrim.submit import build_submit_objects_request
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode, XdsFailure
from schemas.model import DocumentEntry
from schemas.model.messages import RegistryResponse, SubmitObjectsRequest, XdsMetadata
from schemas.validation import Transaction, ValidationProfile, validate_submission
from schemas.xml import to_bytes

log = logging.getLogger(__name__)


def _anyone(_entries: Sequence[DocumentEntry]) -> None:
    """Every source may publish every entry (services used without access control)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """The source calling ITI-41, as access control admitted it: `may_publish` raises when it
    may not publish these DocumentEntries (checked before anything is stored); `sender` is what
    the registration tells the registry about it."""

    may_publish: Callable[[Sequence[DocumentEntry]], None] = _anyone
    sender: Sender = field(default_factory=Sender)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvideOutcome:
    response: RegistryResponse
    mode: RegistrationMode
    registration_id: str


def with_submission_set_uuid(metadata: XdsMetadata) -> XdsMetadata:
    """The SubmissionSet under a `urn:uuid:` of its own when it came with a symbolic id.

    The registry would give it one anyway; giving it here makes every attempt of a registration
    send the same id, so a registry that answers a re-send with "already present" names it
    (`repository.services.registration`).
    """
    symbolic = [s.entry_uuid for s in metadata.submission_sets if not s.has_uuid]
    if not symbolic:
        return metadata
    renamed = {old: f"{v.UUID_PREFIX}{uuid.uuid4()}" for old in symbolic}
    return replace(
        metadata,
        submission_sets=tuple(
            replace(
                s,
                entry_uuid=renamed.get(s.entry_uuid, s.entry_uuid),
                logical_id=s.logical_id and renamed.get(s.logical_id, s.logical_id),
            )
            for s in metadata.submission_sets
        ),
        associations=tuple(
            replace(
                a,
                source=renamed.get(a.source, a.source),
                target=renamed.get(a.target, a.target),
            )
            for a in metadata.associations
        ),
    )


def _failure(code: XdsErrorCode, context: str) -> XdsFailure:
    return XdsFailure(RegistryError(code=code.value, context=context))


class ProvideAndRegister:
    """The ITI-41 flow of one repository."""

    def __init__(
        self,
        *,
        repository_unique_id: str,
        storage: DocumentStorage,
        store: RepositoryStore,
        queue: RegistrationQueue,
        policy: RegistrationPolicy,
        validation_profile: ValidationProfile,
        max_document_bytes: int,
        clock: Clock = utc_now,
    ) -> None:
        self._repository_unique_id = repository_unique_id
        self._storage = storage
        self._store = store
        self._queue = queue
        self._policy = policy
        self._profile = validation_profile
        self._max_document_bytes = max_document_bytes
        self._clock = clock
        self._waiter = OutcomeWaiter(store=store, storage=storage, policy=policy, clock=clock)

    def provide(
        self,
        request: RimProvideAndRegister,
        *,
        mode: RegistrationMode | None = None,
        source: Source | None = None,
    ) -> ProvideOutcome:
        """Store and register; `XdsFailure` for a request refused before anything is stored
        (and whatever `source.may_publish` raises)."""
        source = source or Source()
        mode = mode or self._policy.mode
        report = validate_submission(
            request.submission.object_list, Transaction.PROVIDE_AND_REGISTER, self._profile
        )
        report.raise_if_invalid()
        domain = provide_and_register_from_rim(request)
        entries = domain.submission.metadata.document_entries
        source.may_publish(entries)
        pairs = pair_documents(entries, domain.documents)
        provided = [
            ProvidedDocument(entry=entry, content=doc.content, digest=digest_of(doc.content))
            for entry, doc in pairs
        ]
        check_sizes(provided, self._max_document_bytes)
        check_declared(provided)
        live = self._store.live_documents(p.entry.unique_id for p in provided)
        held = already_held(provided, live)
        new_documents = self._store_bytes([p for p in provided if p.entry.unique_id not in held])
        registration = self._new_registration(domain.submission, provided, mode, source.sender)
        self._stage(registration, new_documents)
        self._enqueue(registration)
        warnings = report.registry_errors()
        if mode is RegistrationMode.DEFERRED:
            response = RegistryResponse(status=ResponseStatus.SUCCESS, errors=warnings)
        else:
            response = self._answer(self._waiter.wait(registration.id), warnings)
        return ProvideOutcome(response=response, mode=mode, registration_id=registration.id)

    def _store_bytes(self, provided: Sequence[ProvidedDocument]) -> list[NewDocument]:
        """Each document's bytes under a new key; on any failure none of them stays."""
        stored: list[NewDocument] = []
        name = ""
        try:
            for p in provided:
                name = p.name
                key = new_storage_key()
                with p.content.open() as stream:
                    digest = self._storage.put(
                        key,
                        stream,
                        size=p.digest.size,
                        expected=p.digest,
                        max_size=self._max_document_bytes,
                    )
                stored.append(
                    NewDocument(
                        unique_id=p.entry.unique_id,
                        storage_key=key,
                        digest=digest,
                        mime_type=p.entry.mime_type,
                        metadata=AccessMetadata.of(p.entry),
                    )
                )
        except (StorageError, DocumentTooLarge, ContentMismatch) as exc:
            self._delete([d.storage_key for d in stored])
            log.error("storing a provided document failed: %s", exc)
            raise _failure(
                XdsErrorCode.REPOSITORY_ERROR,
                f"The repository could not store the document of {name}; nothing was stored",
            ) from exc
        except BaseException:
            self._delete([d.storage_key for d in stored])
            raise
        return stored

    def _new_registration(
        self,
        submission: SubmitObjectsRequest,
        provided: Sequence[ProvidedDocument],
        mode: RegistrationMode,
        sender: Sender,
    ) -> NewRegistration:
        """The ITI-42 to send: the submission with repositoryUniqueId, hash and size set."""
        completed = {
            p.entry.entry_uuid: replace(
                p.entry,
                repository_unique_id=self._repository_unique_id,
                hash=p.digest.sha1,
                size=p.digest.size,
            )
            for p in provided
        }
        metadata = with_submission_set_uuid(submission.metadata)
        entries = tuple(completed.get(e.entry_uuid, e) for e in metadata.document_entries)
        register = replace(submission, metadata=replace(metadata, document_entries=entries))
        sets = metadata.submission_sets
        deadline = (
            self._clock() + self._policy.wait_timeout if mode is RegistrationMode.WAIT else None
        )
        return NewRegistration(
            id=str(uuid.uuid4()),
            submission_set_unique_id=sets[0].unique_id if sets else "",
            request=to_bytes(build_submit_objects_request(register)),
            mode=mode,
            deadline=deadline,
            sender=sender,
        )

    def _stage(self, registration: NewRegistration, documents: Sequence[NewDocument]) -> None:
        """Documents and outbox row in one transaction; the stored bytes go if it fails."""
        try:
            self._store.stage(
                registration,
                documents,
                repository_unique_id=self._repository_unique_id,
                now=self._clock(),
            )
        except UniqueIdTaken as taken:
            self._delete([d.storage_key for d in documents])
            raise XdsFailure(
                *(
                    RegistryError(
                        code=XdsErrorCode.REPOSITORY_BUSY.value,
                        context=f"Another submission is storing the document {unique_id} at the "
                        "same time; try again when it is done",
                        location=unique_id,
                    )
                    for unique_id in taken.unique_ids
                )
            ) from taken
        except BaseException:
            self._delete([d.storage_key for d in documents])
            raise

    def _enqueue(self, registration: NewRegistration) -> None:
        """Hand the registration to a worker; in wait mode a refused hand-over fails the request."""
        try:
            self._queue.enqueue(registration.id)
        except Exception as exc:
            log.error("could not enqueue registration %s: %s", registration.id, exc)
            if registration.mode is RegistrationMode.DEFERRED:
                return  # the reconciler sends it once the broker is back
            error = RegistryError(
                code=XdsErrorCode.REPOSITORY_ERROR.value,
                context="The repository's task queue is not reachable; the documents were not "
                "stored. Try again later.",
            )
            now = self._clock()
            if self._store.finish(
                registration.id,
                outcome=RegistrationState.ABANDONED,
                now=now,
                errors=(error,),
                last_error=f"enqueue failed: {exc}",
            ):
                purge_documents(
                    self._storage, self._store, self._store.documents_of(registration.id), now=now
                )
                raise XdsFailure(error) from exc

    def _answer(
        self, registration: Registration, warnings: tuple[RegistryError, ...]
    ) -> RegistryResponse:
        if registration.state is RegistrationState.REGISTERED:
            return RegistryResponse(
                status=ResponseStatus.SUCCESS, errors=(*warnings, *registration.registry_errors)
            )
        if registration.state.finished:
            return RegistryResponse(
                status=ResponseStatus.FAILURE, errors=registration.registry_errors
            )
        seconds = f"{self._policy.wait_timeout.total_seconds():g}"
        in_doubt = RegistryError(
            code=XdsErrorCode.REGISTRY_NOT_AVAILABLE.value,
            context=f"The registry did not confirm the registration within {seconds} s, and may "
            "have received it. The repository keeps the documents and completes the "
            "registration when the registry answers; they are retrievable once registered.",
        )
        return RegistryResponse(status=ResponseStatus.FAILURE, errors=(in_doubt,))

    def _delete(self, keys: Sequence[str]) -> None:
        for key in keys:
            try:
                self._storage.delete(key)
            except StorageError as exc:
                log.warning("bytes %s stay for the reconciler (orphan): %s", key, exc)
