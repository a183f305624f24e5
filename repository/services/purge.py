"""Deleting the bytes of documents that are never to be served (failed or removed)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from repository.model import StoredDocument
from repository.services.ports import RepositoryStore
from repository.storage.documents import DocumentStorage, StorageError

log = logging.getLogger(__name__)


def purge_documents(
    storage: DocumentStorage,
    store: RepositoryStore,
    documents: Iterable[StoredDocument],
    *,
    now: datetime,
) -> int:
    """Delete the bytes of the failed or removed ones among `documents`; how many were purged.

    A storage failure leaves the row unpurged for the reconciler's next pass.
    """
    purged = []
    for document in documents:
        if document.state.holds_unique_id or document.purged:
            continue
        try:
            storage.delete(document.storage_key)
        except StorageError as exc:
            log.warning("bytes of %s stay for the reconciler: %s", document.unique_id, exc)
            continue
        purged.append(document.storage_key)
    store.mark_purged(purged, now=now)
    return len(purged)
