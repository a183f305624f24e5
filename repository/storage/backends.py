"""The `DocumentStorage` that `DOKDELING_STORAGE_URL` names."""

from __future__ import annotations

from repository.storage.documents import DocumentStorage
from repository.storage.filesystem import FilesystemDocumentStorage
from repository.storage.location import FileStorage, StorageLocation
from repository.storage.s3 import S3DocumentStorage


def open_document_storage(location: StorageLocation) -> DocumentStorage:
    """The backend for `location`; no I/O until the first operation."""
    if isinstance(location, FileStorage):
        return FilesystemDocumentStorage(location.root)
    return S3DocumentStorage(
        location.client(),
        location.bucket,
        create_bucket=location.create_bucket,
        description=location.describe(),
    )
