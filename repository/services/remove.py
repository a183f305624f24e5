"""ITI-86 Remove Documents: the repository deletes document bytes, never registry metadata.

Per IHE RMD, a Document Administrator deletes the metadata in the registry with ITI-62 (Delete
Document Set) and the documents in the repository with ITI-86; the two are independent. If the
metadata of a removed document still exists in the registry, a retrieve of it answers
XDSDocumentUniqueIdError, as for any document this repository does not hold. The row stays
(state `removed`) so the uniqueId keeps its history; the bytes are deleted at once, or by the
reconciler when storage fails.
"""

from __future__ import annotations

from repository.model import StoredDocument
from repository.services.ports import Clock, RemovalHook, RepositoryStore, utc_now
from repository.services.purge import purge_documents
from repository.storage.documents import DocumentStorage
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode
from schemas.model.messages import DocumentRequest, RegistryResponse, RemoveDocumentsRequest


class RemoveDocuments:
    def __init__(
        self,
        *,
        repository_unique_id: str,
        storage: DocumentStorage,
        store: RepositoryStore,
        clock: Clock = utc_now,
    ) -> None:
        self._repository_unique_id = repository_unique_id
        self._storage = storage
        self._store = store
        self._clock = clock

    def held(self, request: RemoveDocumentsRequest) -> list[StoredDocument]:
        """The registered documents of this repository the request names (whose data
        controllers decide who may remove them)."""
        found = self._store.registered_documents(self._ours(request))
        return list(found.values())

    def remove(
        self, request: RemoveDocumentsRequest, *, hook: RemovalHook | None = None
    ) -> RegistryResponse:
        """Remove the named registered documents in one transaction (with `hook`, their audit
        record), then delete their bytes."""
        now = self._clock()
        removed = self._store.remove(self._ours(request), now=now, hook=hook)
        gone = {document.unique_id for document in removed}
        errors = [e for wanted in request.documents if (e := self._error(wanted, gone))]
        purge_documents(self._storage, self._store, removed, now=now)
        if not errors:
            status = ResponseStatus.SUCCESS
        elif removed:
            status = ResponseStatus.PARTIAL_SUCCESS
        else:
            status = ResponseStatus.FAILURE
        return RegistryResponse(status=status, errors=tuple(errors))

    def _ours(self, request: RemoveDocumentsRequest) -> list[str]:
        return [
            wanted.document_unique_id
            for wanted in request.documents
            if wanted.repository_unique_id == self._repository_unique_id
        ]

    def _error(self, wanted: DocumentRequest, removed: set[str]) -> RegistryError | None:
        unique_id = wanted.document_unique_id
        if wanted.repository_unique_id != self._repository_unique_id:
            return RegistryError(
                code=XdsErrorCode.UNKNOWN_REPOSITORY_ID.value,
                context=f"Repository {wanted.repository_unique_id} is not this repository "
                f"({self._repository_unique_id})",
                location=unique_id,
            )
        if unique_id not in removed:
            return RegistryError(
                code=XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value,
                context=f"Document {unique_id} is not in repository {self._repository_unique_id}",
                location=unique_id,
            )
        return None
