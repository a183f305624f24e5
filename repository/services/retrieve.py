"""ITI-43 Retrieve Document Set: registered documents only, and only bytes that pass their check.

Integrity before sending, two ways (docs/repository.md explains the choice):

- a document larger than one checkpoint interval (4 MiB) stored with SHA-256 checkpoints is
  streamed from storage as the answer is sent, each piece verified before it leaves
  (`repository.services.verified_read`); its object's size is checked before the answer starts;
- any other document (small, or stored before checkpoints) is read once into the request's
  spool (memory up to a few MiB, then an unlinked temporary file) while its size and SHA-256 are
  computed and compared with the recorded ones; only then is the answer built, from the spool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from types import TracebackType

from repository.model import StoredDocument
from repository.services.ports import RepositoryStore
from repository.services.verified_read import VerifiedStream, streams_verified
from repository.storage.documents import DocumentStorage, ObjectMissing, StorageError
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode
from schemas.model.messages import (
    DocumentContent,
    DocumentRequest,
    RetrievedDocument,
    RetrieveDocumentSetRequest,
    RetrieveDocumentSetResponse,
)
from schemas.mtom import Attachment, AttachmentSpool, MessageLimits

log = logging.getLogger(__name__)
Withhold = Callable[[Sequence[StoredDocument]], Collection[str]]
"""Access control: given the registered documents a retrieve found, the uniqueIds it must not
serve. A withheld document is answered exactly as one this repository does not hold."""


def _withhold_nothing(_documents: Sequence[StoredDocument]) -> Collection[str]:
    return ()


class RetrievedDocuments:
    """The response, the documents it serves, and the spool their bytes are read from; close it
    once they are sent (readers opened before closing keep working)."""

    def __init__(
        self,
        response: RetrieveDocumentSetResponse,
        served: Sequence[StoredDocument],
        spool: AttachmentSpool,
    ) -> None:
        self.response = response
        self.served = tuple(served)
        self._spool = spool

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> RetrievedDocuments:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _error(code: XdsErrorCode, context: str, location: str) -> RegistryError:
    return RegistryError(code=code.value, context=context, location=location)


class RetrieveDocuments:
    def __init__(
        self,
        *,
        repository_unique_id: str,
        storage: DocumentStorage,
        store: RepositoryStore,
        spool_limits: MessageLimits,
    ) -> None:
        self._repository_unique_id = repository_unique_id
        self._storage = storage
        self._store = store
        self._spool_limits = spool_limits

    def retrieve(
        self, request: RetrieveDocumentSetRequest, *, withhold: Withhold = _withhold_nothing
    ) -> RetrievedDocuments:
        """Each requested document's verified bytes, or its error; `withhold` decides which of
        the documents found may not be served (their bytes are never read)."""
        spool = AttachmentSpool(self._spool_limits)
        try:
            ours = [
                wanted.document_unique_id
                for wanted in request.documents
                if wanted.repository_unique_id == self._repository_unique_id
            ]
            held = self._store.registered_documents(ours)
            withheld = set(withhold(list(held.values())))
            servable = {uid: doc for uid, doc in held.items() if uid not in withheld}
            found: list[RetrievedDocument] = []
            served: list[StoredDocument] = []
            errors: list[RegistryError] = []
            for wanted in request.documents:
                result = self._one(wanted, servable, spool)
                if isinstance(result, RegistryError):
                    errors.append(result)
                else:
                    found.append(result)
                    served.append(servable[wanted.document_unique_id])
        except BaseException:
            spool.close()
            raise
        return RetrievedDocuments(_response(found, errors), served, spool)

    def _one(
        self,
        wanted: DocumentRequest,
        servable: Mapping[str, StoredDocument],
        spool: AttachmentSpool,
    ) -> RetrievedDocument | RegistryError:
        unique_id = wanted.document_unique_id
        if wanted.repository_unique_id != self._repository_unique_id:
            return _error(
                XdsErrorCode.UNKNOWN_REPOSITORY_ID,
                f"Repository {wanted.repository_unique_id} is not this repository "
                f"({self._repository_unique_id})",
                unique_id,
            )
        document = servable.get(unique_id)
        if document is None:
            return _error(
                XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR,
                f"Document {unique_id} is not in repository {self._repository_unique_id}",
                unique_id,
            )
        content: DocumentContent | RegistryError
        if streams_verified(document):
            content = self._verified_stream(document)
        else:
            content = self._verified_copy(document, spool)
        if isinstance(content, RegistryError):
            return content
        return RetrievedDocument(
            home_community_id=wanted.home_community_id,
            repository_unique_id=self._repository_unique_id,
            document_unique_id=unique_id,
            mime_type=document.mime_type,
            content=content,
        )

    def _verified_stream(self, document: StoredDocument) -> VerifiedStream | RegistryError:
        """The document, streamed and verified when sent, once its object has the recorded size."""
        unique_id = document.unique_id
        try:
            found = self._storage.stat(document.storage_key)
        except StorageError as exc:
            log.error("reading document %s failed: %s", unique_id, exc)
            return _unreadable(unique_id)
        if found is None:
            log.error("INTEGRITY: registered document %s has no bytes in storage", unique_id)
            return _missing(unique_id)
        if found.size != document.digest.size:
            log.error(
                "INTEGRITY: document %s (key %s) has %d bytes; %d were stored; it is not served",
                unique_id,
                document.storage_key,
                found.size,
                document.digest.size,
            )
            return _damaged(unique_id)
        return VerifiedStream(storage=self._storage, document=document)

    def _verified_copy(
        self, document: StoredDocument, spool: AttachmentSpool
    ) -> Attachment | RegistryError:
        """The document's bytes in the spool once their size and SHA-256 are the recorded ones."""
        unique_id = document.unique_id
        chunks = self._storage.read(document.storage_key)
        try:
            copy = spool.store(chunks, content_id=unique_id, content_type=document.mime_type)
        except ObjectMissing:
            log.error("INTEGRITY: registered document %s has no bytes in storage", unique_id)
            return _missing(unique_id)
        except StorageError as exc:
            log.error("reading document %s failed: %s", unique_id, exc)
            return _unreadable(unique_id)
        finally:
            chunks.close()
        expected = document.digest
        if (copy.size, copy.sha256) != (expected.size, expected.sha256.lower()):
            log.error(
                "INTEGRITY: document %s (key %s) has %d bytes with SHA-256 %s; %d bytes with "
                "SHA-256 %s were stored; it is not served",
                unique_id,
                document.storage_key,
                copy.size,
                copy.sha256,
                expected.size,
                expected.sha256,
            )
            return _damaged(unique_id)
        return copy


def _missing(unique_id: str) -> RegistryError:
    return _error(
        XdsErrorCode.REPOSITORY_ERROR,
        f"Document {unique_id} cannot be served: its stored bytes are missing",
        unique_id,
    )


def _unreadable(unique_id: str) -> RegistryError:
    return _error(
        XdsErrorCode.REPOSITORY_ERROR,
        f"Document {unique_id} cannot be read from storage now; try again later",
        unique_id,
    )


def _damaged(unique_id: str) -> RegistryError:
    return _error(
        XdsErrorCode.REPOSITORY_ERROR,
        f"Document {unique_id} failed its integrity check and is not served",
        unique_id,
    )


def _response(
    found: Sequence[RetrievedDocument], errors: Sequence[RegistryError]
) -> RetrieveDocumentSetResponse:
    if not errors:
        status = ResponseStatus.SUCCESS
    elif found:
        status = ResponseStatus.PARTIAL_SUCCESS
    else:
        status = ResponseStatus.FAILURE
    return RetrieveDocumentSetResponse(status=status, documents=tuple(found), errors=tuple(errors))
