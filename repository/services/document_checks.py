"""The repository's own rules for an ITI-41 request (conformance guide §8, "Repository rules").

Pure functions over the domain request and what the documents' bytes are; each failure names the
DocumentEntry (entryUUID and uniqueId) or the `xdsb:Document` it concerns.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from repository.model import ContentDigest, DocumentState, StoredDocument
from schemas.errors import RegistryError, XdsErrorCode, XdsFailure
from schemas.model.messages import Document, DocumentContent
from schemas.model.metadata import DocumentEntry
from schemas.mtom import Attachment

_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvidedDocument:
    """A DocumentEntry with its document and what its bytes are."""

    entry: DocumentEntry
    content: DocumentContent
    digest: ContentDigest

    @property
    def name(self) -> str:
        return f"DocumentEntry {self.entry.entry_uuid} (uniqueId {self.entry.unique_id})"


def _error(code: XdsErrorCode, context: str, location: str | None = None) -> RegistryError:
    return RegistryError(code=code.value, context=context, location=location)


def pair_documents(
    entries: Sequence[DocumentEntry], documents: Sequence[Document]
) -> list[tuple[DocumentEntry, Document]]:
    """Each DocumentEntry with its one `xdsb:Document` (matched on the entry's id)."""
    errors: list[RegistryError] = []
    counts = Counter(d.id for d in documents)
    entry_ids = {e.entry_uuid for e in entries}
    for entry in entries:
        if entry.entry_uuid not in counts:
            errors.append(
                _error(
                    XdsErrorCode.MISSING_DOCUMENT,
                    f"DocumentEntry {entry.entry_uuid} (uniqueId {entry.unique_id}) has no "
                    "xdsb:Document",
                    entry.entry_uuid,
                )
            )
    for document_id, count in counts.items():
        if document_id not in entry_ids:
            errors.append(
                _error(
                    XdsErrorCode.MISSING_DOCUMENT_METADATA,
                    f"xdsb:Document {document_id} has no DocumentEntry",
                    document_id,
                )
            )
        elif count > 1:
            errors.append(
                _error(
                    XdsErrorCode.REPOSITORY_METADATA_ERROR,
                    f"DocumentEntry {document_id} has {count} xdsb:Documents; it may have one",
                    document_id,
                )
            )
    for unique_id, count in Counter(e.unique_id for e in entries).items():
        if count > 1:
            errors.append(
                _error(
                    XdsErrorCode.REPOSITORY_DUPLICATE_UNIQUE_ID_IN_MESSAGE,
                    f"{count} DocumentEntries share the uniqueId {unique_id}",
                    unique_id,
                )
            )
    if errors:
        raise XdsFailure(*errors)
    by_id = {d.id: d for d in documents}
    return [(entry, by_id[entry.entry_uuid]) for entry in entries]


def digest_of(content: DocumentContent) -> ContentDigest:
    """Size, SHA-1 and SHA-256: as the MTOM layer computed them, or by reading the bytes once."""
    if isinstance(content, Attachment):
        return ContentDigest(size=content.size, sha1=content.sha1, sha256=content.sha256)
    sha1, sha256, size = hashlib.sha1(usedforsecurity=False), hashlib.sha256(), 0
    with content.open() as stream:
        while chunk := stream.read(_CHUNK):
            sha1.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
    return ContentDigest(size=size, sha1=sha1.hexdigest(), sha256=sha256.hexdigest())


def check_sizes(provided: Sequence[ProvidedDocument], max_document_bytes: int) -> None:
    """Refuse documents larger than this repository accepts."""
    errors = [
        _error(
            XdsErrorCode.REPOSITORY_ERROR,
            f"The document of {p.name} is {p.digest.size} bytes; this repository accepts "
            f"documents of at most {max_document_bytes} bytes",
            p.entry.entry_uuid,
        )
        for p in provided
        if p.digest.size > max_document_bytes
    ]
    if errors:
        raise XdsFailure(*errors)


def check_declared(provided: Sequence[ProvidedDocument]) -> None:
    """A `hash` or `size` the source declared must be the bytes' (XDSRepositoryMetadataError)."""
    errors: list[RegistryError] = []
    for p in provided:
        declared_hash = p.entry.hash
        if declared_hash is not None and declared_hash.strip().lower() != p.digest.sha1:
            errors.append(
                _error(
                    XdsErrorCode.REPOSITORY_METADATA_ERROR,
                    f"{p.name} declares hash {declared_hash}, but its document's SHA-1 is "
                    f"{p.digest.sha1}",
                    p.entry.entry_uuid,
                )
            )
        if p.entry.size is not None and p.entry.size != p.digest.size:
            errors.append(
                _error(
                    XdsErrorCode.REPOSITORY_METADATA_ERROR,
                    f"{p.name} declares size {p.entry.size}, but its document is "
                    f"{p.digest.size} bytes",
                    p.entry.entry_uuid,
                )
            )
    if errors:
        raise XdsFailure(*errors)


def already_held(
    provided: Sequence[ProvidedDocument], live: Mapping[str, StoredDocument]
) -> set[str]:
    """The uniqueIds this repository already holds with identical bytes (a resubmission).

    Different bytes under a held uniqueId are XDSNonIdenticalHash; a document another submission
    is still registering is XDSRepositoryBusy (its outcome decides whether it exists).
    """
    errors: list[RegistryError] = []
    held: set[str] = set()
    for p in provided:
        existing = live.get(p.entry.unique_id)
        if existing is None:
            continue
        if (existing.digest.sha1, existing.digest.size) != (p.digest.sha1, p.digest.size):
            errors.append(
                _error(
                    XdsErrorCode.NON_IDENTICAL_HASH,
                    f"{p.name}: this repository holds a different document under that uniqueId",
                    p.entry.entry_uuid,
                )
            )
        elif existing.state is DocumentState.STAGED:
            errors.append(
                _error(
                    XdsErrorCode.REPOSITORY_BUSY,
                    f"{p.name}: the same document is being registered by another submission; "
                    "try again when it is done",
                    p.entry.entry_uuid,
                )
            )
        else:
            held.add(p.entry.unique_id)
    if errors:
        raise XdsFailure(*errors)
    return held
