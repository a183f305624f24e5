"""XDS error codes, severities and the error values every transaction reports.

The codes are the union of ITI TF-3 Table 4.2.4.1-2, the NIST toolkit's `XdsErrorCode` and IPF's
`ErrorCode` (see the conformance guide, section 7). A failure anywhere in the core is raised as
`XdsFailure` carrying one or more `RegistryError`s, which the transaction edge renders as a
`RegistryErrorList`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from schemas import vocabulary as v


class XdsErrorCode(StrEnum):
    """An `errorCode` value of a `RegistryError`."""

    REGISTRY_ERROR = "XDSRegistryError"
    REPOSITORY_ERROR = "XDSRepositoryError"
    REGISTRY_METADATA_ERROR = "XDSRegistryMetadataError"
    REPOSITORY_METADATA_ERROR = "XDSRepositoryMetadataError"
    MISSING_DOCUMENT = "XDSMissingDocument"
    MISSING_DOCUMENT_METADATA = "XDSMissingDocumentMetadata"
    REGISTRY_NOT_AVAILABLE = "XDSRegistryNotAvailable"
    REGISTRY_BUSY = "XDSRegistryBusy"
    REPOSITORY_BUSY = "XDSRepositoryBusy"
    REGISTRY_OUT_OF_RESOURCES = "XDSRegistryOutOfResources"
    REPOSITORY_OUT_OF_RESOURCES = "XDSRepositoryOutOfResources"
    REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE = "XDSRegistryDuplicateUniqueIdInMessage"
    REPOSITORY_DUPLICATE_UNIQUE_ID_IN_MESSAGE = "XDSRepositoryDuplicateUniqueIdInMessage"
    DUPLICATE_UNIQUE_ID_IN_REGISTRY = "XDSDuplicateUniqueIdInRegistry"
    NON_IDENTICAL_HASH = "XDSNonIdenticalHash"
    NON_IDENTICAL_SIZE = "XDSNonIdenticalSize"
    PATIENT_ID_DOES_NOT_MATCH = "XDSPatientIdDoesNotMatch"
    UNKNOWN_PATIENT_ID = "XDSUnknownPatientId"
    UNKNOWN_STORED_QUERY = "XDSUnknownStoredQuery"
    STORED_QUERY_MISSING_PARAM = "XDSStoredQueryMissingParam"
    STORED_QUERY_PARAM_NUMBER = "XDSStoredQueryParamNumber"
    TOO_MANY_RESULTS = "XDSTooManyResults"
    RESULT_NOT_SINGLE_PATIENT = "XDSResultNotSinglePatient"
    EXTRA_METADATA_NOT_SAVED = "XDSExtraMetadataNotSaved"
    REGISTRY_DEPRECATED_DOCUMENT_ERROR = "XDSRegistryDeprecatedDocumentError"
    UNKNOWN_REPOSITORY_ID = "XDSUnknownRepositoryId"
    DOCUMENT_UNIQUE_ID_ERROR = "XDSDocumentUniqueIdError"
    PARTIAL_SUCCESS = "XDSPartialSuccess"
    UNKNOWN_COMMUNITY = "XDSUnknownCommunity"
    MISSING_HOME_COMMUNITY_ID = "XDSMissingHomeCommunityId"
    UNAVAILABLE_COMMUNITY = "XDSUnavailableCommunity"
    # Lifecycle partial-success codes (IPF)
    PARTIAL_FOLDER_CONTENT_NOT_PROCESSED = "PartialFolderContentNotProcessed"
    PARTIAL_REPLACE_CONTENT_NOT_PROCESSED = "PartialReplaceContentNotProcessed"
    PARTIAL_TRANSFORM_NOT_PROCESSED = "PartialTransformNotProcessed"
    PARTIAL_APPEND_CONTENT_NOT_PROCESSED = "PartialAppendContentNotProcessed"
    PARTIAL_TRANSFORM_REPLACE_NOT_PROCESSED = "PartialTransformReplaceNotProcessed"
    PARTIAL_RELATIONSHIP_CONTENT_NOT_PROCESSED = "PartialRelationshipContentNotProcessed"
    # Metadata update (ITI-57 / ITI-92)
    METADATA_UPDATE_ERROR = "XDSMetadataUpdateError"
    METADATA_UPDATE_OPERATION_ERROR = "XDSMetadataUpdateOperationError"
    METADATA_VERSION_ERROR = "XDSMetadataVersionError"
    PATIENT_ID_RECONCILIATION_ERROR = "XDSPatientIDReconciliationError"
    OBJECT_TYPE_ERROR = "XDSObjectTypeError"
    METADATA_IDENTIFIER_ERROR = "XDSMetadataIdentifierError"
    METADATA_ANNOTATION_ERROR = "XDSMetadataAnnotationError"
    UNMODIFIABLE_METADATA_ERROR = "UnmodifiableMetadataError"
    # Remove (ITI-62 / ITI-86)
    UNRESOLVED_REFERENCE = "UnresolvedReferenceException"
    REFERENCES_EXIST = "ReferencesExistException"
    UNREFERENCED_OBJECT = "XDSUnreferencedObjectException"
    REMOVE_DOCUMENTS_ERROR = "XDSRemoveDocumentsError"
    REPLACE_FAILED = "XDSReplaceFailed"


class Severity(StrEnum):
    """`RegistryError/@severity`."""

    ERROR = v.SEVERITY_ERROR
    WARNING = v.SEVERITY_WARNING


class ResponseStatus(StrEnum):
    """`RegistryResponse/@status` (and the query and retrieve responses)."""

    SUCCESS = v.RESPONSE_SUCCESS
    FAILURE = v.RESPONSE_FAILURE
    PARTIAL_SUCCESS = v.RESPONSE_PARTIAL_SUCCESS


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryError:
    """One `rs:RegistryError`: a code, a context a person can act on, and where it happened."""

    code: str
    context: str
    location: str | None = None
    severity: Severity = Severity.ERROR
    value: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def status_for(errors: Iterable[RegistryError], *, partial: bool = False) -> ResponseStatus:
    """The response status that a list of errors implies (warnings alone still mean Success)."""
    if any(e.is_error for e in errors):
        return ResponseStatus.PARTIAL_SUCCESS if partial else ResponseStatus.FAILURE
    return ResponseStatus.SUCCESS


class XdsFailure(Exception):
    """A request failed with one or more XDS errors; nothing was stored."""

    def __init__(self, *errors: RegistryError) -> None:
        if not errors:
            raise ValueError("XdsFailure needs at least one RegistryError")
        super().__init__("; ".join(f"{e.code}: {e.context}" for e in errors))
        self.errors: tuple[RegistryError, ...] = errors

    @classmethod
    def of(cls, code: XdsErrorCode | str, context: str, location: str | None = None) -> XdsFailure:
        return cls(RegistryError(code=str(code), context=context, location=location))
