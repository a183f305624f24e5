"""ITI-62 Delete Document Set: removing registry objects by reference, all or nothing.

Every ObjectRef must name a registered object (UnresolvedReferenceException), and no association
that stays may point at a removed object (ReferencesExistException): a request removing a
DocumentEntry also removes the SubmissionSet and Folder HasMembers that link it. The database
enforces the same with foreign keys, so no association ever dangles. What the removal leaves is
otherwise unchanged: a DocumentEntry that a removed one had replaced stays Deprecated.
"""

from __future__ import annotations

from registry.interfaces import RegistryStore, RegistryTransaction
from registry.services.options import RegistryOptions
from registry.services.submission import raise_if_any
from registry.services.transactions import in_transaction
from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode, XdsFailure
from schemas.model import RemoveObjectsRequest

SUPPORTED_DELETION_SCOPES = frozenset({v.DELETION_SCOPE_DELETE_ALL})


def delete_document_set(
    store: RegistryStore, request: RemoveObjectsRequest, *, options: RegistryOptions
) -> tuple[str, ...]:
    """Remove the referenced objects; their entryUUIDs, or `XdsFailure` and nothing removed."""
    wanted = tuple(dict.fromkeys(ref.id for ref in request.object_refs))
    if not wanted:
        raise XdsFailure.of(
            XdsErrorCode.REGISTRY_ERROR, "the request names no object to remove (no ObjectRef)"
        )
    if (
        request.deletion_scope is not None
        and request.deletion_scope not in SUPPORTED_DELETION_SCOPES
    ):
        raise XdsFailure.of(
            XdsErrorCode.REGISTRY_ERROR,
            f"deletionScope {request.deletion_scope} is not supported; the registry removes "
            f"metadata only ({v.DELETION_SCOPE_DELETE_ALL})",
        )

    def remove(transaction: RegistryTransaction) -> tuple[str, ...]:
        _check_references(transaction, wanted)
        transaction.remove(wanted)
        return wanted

    return in_transaction(store, remove, attempts=options.write_attempts)


def _check_references(transaction: RegistryTransaction, wanted: tuple[str, ...]) -> None:
    found = transaction.entries(wanted, lock=True)
    errors = [
        RegistryError(
            code=XdsErrorCode.UNRESOLVED_REFERENCE,
            context=f"{entry_uuid} is not a registered object",
            location=entry_uuid,
        )
        for entry_uuid in wanted
        if entry_uuid not in found
    ]
    removing = set(wanted)
    for association in transaction.associations_touching(removing):
        if association.entry_uuid in removing:
            continue
        linked = association.source if association.source in removing else association.target
        errors.append(
            RegistryError(
                code=XdsErrorCode.REFERENCES_EXIST,
                context=f"{linked} is still referenced by association {association.entry_uuid} "
                f"({association.association_type}), which the request does not remove",
                location=linked,
            )
        )
    raise_if_any(errors)
