"""The stored queries a registry answers, 14 of ITI-18 and 2 of ITI-51, with their parameters.

Parameter rules follow ITI TF-2a 3.18.4.1.2.3.7 and ITI TF-2b 3.51.4.1.2, cross-checked with the
NIST toolkit's per-query `validate_parm` tables and IPF's `AdhocQueryRequestValidator`:
- `required`: the query fails with XDSStoredQueryMissingParam without it;
- `multiple`: more than one value is allowed (`('a','b')`, OR semantics);
- `and_across_slots`: the parameter may be given in several slots, each an OR group, all of which
  must match (EventCodeList, ConfidentialityCode, FolderCodeList, ReferenceIdList);
- `exactly_one_of` / `at_least_one_of`: alternatives of which one (or at least one) is needed.
Every query also takes `$homeCommunityId` and `$MetadataLevel`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from schemas import vocabulary as v


class ParameterKind(StrEnum):
    """What a parameter's values are; the name reads well in an error message."""

    PATIENT_ID = "a patient id (CX)"
    STATUS = "an availability status URN"
    CODE = "a coded value (code^^scheme)"
    TIME = "a DTM time"
    STRING = "a string"
    LIKE_PATTERN = "a LIKE pattern"
    ENTRY_TYPE = "a DocumentEntry objectType"
    ASSOCIATION_TYPE = "an association type URN"
    METADATA_LEVEL = "a metadata level (1 or 2)"

    @property
    def accepts_bare(self) -> bool:
        """Numbers are written without quotes; everything else is a quoted string."""
        return self in (ParameterKind.TIME, ParameterKind.METADATA_LEVEL)


class Transaction(StrEnum):
    REGISTRY_STORED_QUERY = "ITI-18"
    MULTI_PATIENT_QUERY = "ITI-51"


@dataclass(frozen=True, slots=True, kw_only=True)
class ParameterSpec:
    name: str
    kind: ParameterKind
    required: bool = False
    multiple: bool = False
    and_across_slots: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredQuerySpec:
    """One stored query: its id, its name, the transaction that carries it and its parameters."""

    query_id: str
    name: str
    transaction: Transaction
    parameters: tuple[ParameterSpec, ...]
    exactly_one_of: tuple[str, ...] = ()
    at_least_one_of: tuple[str, ...] = ()

    def parameter(self, name: str) -> ParameterSpec | None:
        return next((p for p in self.parameters if p.name == name), None)


K = ParameterKind


def _one(name: str, kind: ParameterKind, *, required: bool = False) -> ParameterSpec:
    return ParameterSpec(name=name, kind=kind, required=required)


def _many(
    name: str, kind: ParameterKind, *, required: bool = False, and_across_slots: bool = False
) -> ParameterSpec:
    return ParameterSpec(
        name=name, kind=kind, required=required, multiple=True, and_across_slots=and_across_slots
    )


_COMMON = (
    _one(v.PARAM_HOME_COMMUNITY_ID, K.STRING),
    _one(v.PARAM_METADATA_LEVEL, K.METADATA_LEVEL),
)

_DOCUMENT_ENTRY_CRITERIA = (
    _many(v.PARAM_DE_STATUS, K.STATUS, required=True),
    _many(v.PARAM_DE_CLASS_CODE, K.CODE),
    _many(v.PARAM_DE_TYPE_CODE, K.CODE),
    _many(v.PARAM_DE_PRACTICE_SETTING_CODE, K.CODE),
    _many(v.PARAM_DE_HEALTHCARE_FACILITY_TYPE_CODE, K.CODE),
    _many(v.PARAM_DE_EVENT_CODE_LIST, K.CODE, and_across_slots=True),
    _many(v.PARAM_DE_CONFIDENTIALITY_CODE, K.CODE, and_across_slots=True),
    _many(v.PARAM_DE_FORMAT_CODE, K.CODE),
    _one(v.PARAM_DE_CREATION_TIME_FROM, K.TIME),
    _one(v.PARAM_DE_CREATION_TIME_TO, K.TIME),
    _one(v.PARAM_DE_SERVICE_START_TIME_FROM, K.TIME),
    _one(v.PARAM_DE_SERVICE_START_TIME_TO, K.TIME),
    _one(v.PARAM_DE_SERVICE_STOP_TIME_FROM, K.TIME),
    _one(v.PARAM_DE_SERVICE_STOP_TIME_TO, K.TIME),
    _many(v.PARAM_DE_AUTHOR_PERSON, K.LIKE_PATTERN),
    _many(v.PARAM_DE_TYPE, K.ENTRY_TYPE),
)

_CONTENT_FILTERS = (
    _many(v.PARAM_DE_FORMAT_CODE, K.CODE),
    _many(v.PARAM_DE_CONFIDENTIALITY_CODE, K.CODE, and_across_slots=True),
    _many(v.PARAM_DE_TYPE, K.ENTRY_TYPE),
)

_FOLDER_CRITERIA = (
    _many(v.PARAM_FOLDER_STATUS, K.STATUS, required=True),
    _one(v.PARAM_FOLDER_LAST_UPDATE_TIME_FROM, K.TIME),
    _one(v.PARAM_FOLDER_LAST_UPDATE_TIME_TO, K.TIME),
    _many(v.PARAM_FOLDER_CODE_LIST, K.CODE, and_across_slots=True),
)


def _reference_ids(*, required: bool) -> ParameterSpec:
    return _many(v.PARAM_DE_REFERENCE_ID_LIST, K.STRING, required=required, and_across_slots=True)


def _query(
    query_id: str,
    name: str,
    *parameters: ParameterSpec,
    transaction: Transaction = Transaction.REGISTRY_STORED_QUERY,
    exactly_one_of: tuple[str, ...] = (),
    at_least_one_of: tuple[str, ...] = (),
) -> StoredQuerySpec:
    return StoredQuerySpec(
        query_id=query_id,
        name=name,
        transaction=transaction,
        parameters=(*parameters, *_COMMON),
        exactly_one_of=exactly_one_of,
        at_least_one_of=at_least_one_of,
    )


_DOCUMENT_IDS = (v.PARAM_DE_ENTRY_UUID, v.PARAM_DE_UNIQUE_ID)
_FOLDER_IDS = (v.PARAM_FOLDER_ENTRY_UUID, v.PARAM_FOLDER_UNIQUE_ID)
_SUBMISSION_SET_IDS = (v.PARAM_SS_ENTRY_UUID, v.PARAM_SS_UNIQUE_ID)


def _single_ids(names: tuple[str, ...]) -> tuple[ParameterSpec, ...]:
    return tuple(_one(name, K.STRING) for name in names)


def _id_lists(names: tuple[str, ...]) -> tuple[ParameterSpec, ...]:
    return tuple(_many(name, K.STRING) for name in names)


_QUERIES = (
    _query(
        v.QUERY_FIND_DOCUMENTS,
        "FindDocuments",
        _one(v.PARAM_DE_PATIENT_ID, K.PATIENT_ID, required=True),
        *_DOCUMENT_ENTRY_CRITERIA,
        _reference_ids(required=False),
    ),
    _query(
        v.QUERY_FIND_DOCUMENTS_BY_REFERENCE_ID,
        "FindDocumentsByReferenceId",
        _one(v.PARAM_DE_PATIENT_ID, K.PATIENT_ID, required=True),
        *_DOCUMENT_ENTRY_CRITERIA,
        _reference_ids(required=True),
    ),
    _query(
        v.QUERY_FIND_SUBMISSION_SETS,
        "FindSubmissionSets",
        _one(v.PARAM_SS_PATIENT_ID, K.PATIENT_ID, required=True),
        _many(v.PARAM_SS_STATUS, K.STATUS, required=True),
        _many(v.PARAM_SS_SOURCE_ID, K.STRING),
        _one(v.PARAM_SS_SUBMISSION_TIME_FROM, K.TIME),
        _one(v.PARAM_SS_SUBMISSION_TIME_TO, K.TIME),
        _one(v.PARAM_SS_AUTHOR_PERSON, K.LIKE_PATTERN),
        _many(v.PARAM_SS_CONTENT_TYPE, K.CODE),
    ),
    _query(
        v.QUERY_FIND_FOLDERS,
        "FindFolders",
        _one(v.PARAM_FOLDER_PATIENT_ID, K.PATIENT_ID, required=True),
        *_FOLDER_CRITERIA,
    ),
    _query(
        v.QUERY_GET_ALL,
        "GetAll",
        _one(v.PARAM_PATIENT_ID, K.PATIENT_ID, required=True),
        _many(v.PARAM_DE_STATUS, K.STATUS, required=True),
        _many(v.PARAM_SS_STATUS, K.STATUS, required=True),
        _many(v.PARAM_FOLDER_STATUS, K.STATUS, required=True),
        *_CONTENT_FILTERS,
    ),
    _query(
        v.QUERY_GET_DOCUMENTS,
        "GetDocuments",
        *_id_lists((*_DOCUMENT_IDS, v.PARAM_DE_LOGICAL_ID)),
        exactly_one_of=(*_DOCUMENT_IDS, v.PARAM_DE_LOGICAL_ID),
    ),
    _query(
        v.QUERY_GET_FOLDERS,
        "GetFolders",
        *_id_lists((*_FOLDER_IDS, v.PARAM_FOLDER_LOGICAL_ID)),
        exactly_one_of=(*_FOLDER_IDS, v.PARAM_FOLDER_LOGICAL_ID),
    ),
    _query(
        v.QUERY_GET_ASSOCIATIONS,
        "GetAssociations",
        _many(v.PARAM_UUID, K.STRING, required=True),
    ),
    _query(
        v.QUERY_GET_DOCUMENTS_AND_ASSOCIATIONS,
        "GetDocumentsAndAssociations",
        *_id_lists(_DOCUMENT_IDS),
        exactly_one_of=_DOCUMENT_IDS,
    ),
    _query(
        v.QUERY_GET_SUBMISSION_SETS,
        "GetSubmissionSets",
        _many(v.PARAM_UUID, K.STRING, required=True),
    ),
    _query(
        v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS,
        "GetSubmissionSetAndContents",
        *_single_ids(_SUBMISSION_SET_IDS),
        *_CONTENT_FILTERS,
        exactly_one_of=_SUBMISSION_SET_IDS,
    ),
    _query(
        v.QUERY_GET_FOLDER_AND_CONTENTS,
        "GetFolderAndContents",
        *_single_ids(_FOLDER_IDS),
        *_CONTENT_FILTERS,
        exactly_one_of=_FOLDER_IDS,
    ),
    _query(
        v.QUERY_GET_FOLDERS_FOR_DOCUMENT,
        "GetFoldersForDocument",
        *_single_ids(_DOCUMENT_IDS),
        exactly_one_of=_DOCUMENT_IDS,
    ),
    _query(
        v.QUERY_GET_RELATED_DOCUMENTS,
        "GetRelatedDocuments",
        *_single_ids(_DOCUMENT_IDS),
        _many(v.PARAM_ASSOCIATION_TYPES, K.ASSOCIATION_TYPE, required=True),
        _many(v.PARAM_DE_TYPE, K.ENTRY_TYPE),
        exactly_one_of=_DOCUMENT_IDS,
    ),
    _query(
        v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS,
        "FindDocumentsForMultiplePatients",
        _many(v.PARAM_DE_PATIENT_ID, K.PATIENT_ID),
        *_DOCUMENT_ENTRY_CRITERIA,
        transaction=Transaction.MULTI_PATIENT_QUERY,
        at_least_one_of=(
            v.PARAM_DE_PATIENT_ID,
            v.PARAM_DE_CLASS_CODE,
            v.PARAM_DE_EVENT_CODE_LIST,
            v.PARAM_DE_HEALTHCARE_FACILITY_TYPE_CODE,
        ),
    ),
    _query(
        v.QUERY_FIND_FOLDERS_FOR_MULTIPLE_PATIENTS,
        "FindFoldersForMultiplePatients",
        _many(v.PARAM_FOLDER_PATIENT_ID, K.PATIENT_ID),
        *_FOLDER_CRITERIA,
        transaction=Transaction.MULTI_PATIENT_QUERY,
        at_least_one_of=(v.PARAM_FOLDER_PATIENT_ID, v.PARAM_FOLDER_CODE_LIST),
    ),
)

CATALOGUE: Mapping[str, StoredQuerySpec] = MappingProxyType({q.query_id: q for q in _QUERIES})
"""Every stored query this registry knows, by query id (`urn:uuid:…`)."""
