"""Stored queries over the 12346 data set: the counts the NIST tests expect (guide §3)."""

from __future__ import annotations

import dataclasses

import pytest

from registry.entries import ObjectKind
from registry.services import RegistryOptions, register_document_set, run_stored_query
from registry.storage import SqlRegistryStore
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import (
    AssociationType,
    AvailabilityStatus,
    DocumentEntryType,
    ReturnType,
    Timestamp,
)
from schemas.queries import (
    DocumentEntryFilter,
    FindDocumentsByReferenceIdQuery,
    FindDocumentsForMultiplePatientsQuery,
    FindDocumentsQuery,
    FindFoldersQuery,
    FindSubmissionSetsQuery,
    FolderFilter,
    GetAllQuery,
    GetAssociationsQuery,
    GetDocumentsAndAssociationsQuery,
    GetDocumentsQuery,
    GetFolderAndContentsQuery,
    GetFoldersForDocumentQuery,
    GetFoldersQuery,
    GetRelatedDocumentsQuery,
    GetSubmissionSetAndContentsQuery,
    GetSubmissionSetsQuery,
    IdentifierKind,
    ObjectSelector,
    QueryOptions,
    TimeRange,
)
from tests.registry.dataset import (
    CDA,
    CLASS_A,
    CLASS_B,
    EVENT_1,
    EVENT_2,
    REFERENCE_ID,
    RESTRICTED,
    Dataset,
    build_dataset,
)
from tests.registry.lookups import (
    ALL_STATUSES,
    by_unique_id,
    by_uuid,
    error_codes,
    kinds,
    run,
)
from tests.support.registry_metadata import (
    NIST_PATIENT,
    OTHER_NIST_PATIENT,
    MetadataFactory,
    single_document,
)

APPROVED = (AvailabilityStatus.APPROVED,)
DEPRECATED = (AvailabilityStatus.DEPRECATED,)
OBJECT_REFS = QueryOptions(return_type=ReturnType.OBJECT_REF)


@pytest.fixture
def dataset(store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory) -> Dataset:
    return build_dataset(store, options, nist)


def _find(store: SqlRegistryStore, options: RegistryOptions, **criteria: object) -> int:
    documents = DocumentEntryFilter(**{"statuses": APPROVED, **criteria})  # type: ignore[arg-type]
    query = FindDocumentsQuery(patient_id=NIST_PATIENT, documents=documents)
    return len(run(store, query, options))


def test_get_all_returns_the_whole_data_set(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    """15803: Documents=6, SubmissionSets=5, Folders=2, Associations=15."""
    query = GetAllQuery(
        patient_id=NIST_PATIENT,
        documents=DocumentEntryFilter(
            statuses=ALL_STATUSES,
            entry_types=(DocumentEntryType.STABLE, DocumentEntryType.ON_DEMAND),
        ),
        submission_set_statuses=ALL_STATUSES,
        folder_statuses=ALL_STATUSES,
    )
    assert kinds(run(store, query, options)) == {
        ObjectKind.DOCUMENT_ENTRY: 6,
        ObjectKind.SUBMISSION_SET: 5,
        ObjectKind.FOLDER: 2,
        ObjectKind.ASSOCIATION: 15,
    }


@pytest.mark.parametrize(
    ("statuses", "expected"), [(APPROVED, 5), (ALL_STATUSES, 6), (DEPRECATED, 1)]
)
def test_find_documents_by_status(
    store: SqlRegistryStore,
    options: RegistryOptions,
    dataset: Dataset,
    statuses: tuple[AvailabilityStatus, ...],
    expected: int,
) -> None:
    """11897 approved, leafclass, deprecated."""
    assert _find(store, options, statuses=statuses) == expected


def test_find_documents_as_object_refs(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    query = FindDocumentsQuery(
        patient_id=NIST_PATIENT,
        documents=DocumentEntryFilter(statuses=ALL_STATUSES),
        options=OBJECT_REFS,
    )
    result = run_stored_query(store, query, options=options)
    assert result.return_type is ReturnType.OBJECT_REF
    assert len(result.objects) == 6


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"class_codes": ((CLASS_A,),)}, 1),
        ({"class_codes": ((CLASS_B,),)}, 3),
        ({"class_codes": ((CLASS_A, CLASS_B),)}, 4),
        ({"class_codes": ((dataclasses.replace(CLASS_B, scheme="1.2.3"),),)}, 0),
        ({"confidentiality_codes": ((RESTRICTED,),)}, 1),
        ({"format_codes": ((CDA,),)}, 1),
        ({"event_codes": ((EVENT_1,),)}, 2),
        ({"event_codes": ((EVENT_1, EVENT_2),)}, 3),
        ({"event_codes": ((EVENT_1,), (EVENT_2,))}, 1),
        ({"author_persons": ("%Ford%",)}, 1),
        ({"author_persons": ("%ford%",)}, 0),
        ({"class_codes": ((CLASS_B,),), "event_codes": ((EVENT_2,),)}, 2),
    ],
)
def test_find_documents_by_codes_and_authors(
    store: SqlRegistryStore,
    options: RegistryOptions,
    dataset: Dataset,
    criteria: dict[str, object],
    expected: int,
) -> None:
    """11897 classcode_*, confcode, formatcode, eventcode(_multi_select), author, and."""
    assert _find(store, options, **criteria) == expected


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        (("20041224", "20041225"), 1),  # left edge: From is inclusive
        (("2004", "20041224"), 0),  # right edge: To is exclusive
        (("200501", "20050104"), 2),
        (("2005", None), 4),
        ((None, "20050101120000"), 1),
    ],
)
def test_find_documents_by_creation_time(
    store: SqlRegistryStore,
    options: RegistryOptions,
    dataset: Dataset,
    bounds: tuple[str | None, str | None],
    expected: int,
) -> None:
    start, end = (None if b is None else Timestamp(b) for b in bounds)
    assert _find(store, options, creation_time=TimeRange(start, end)) == expected


def test_find_documents_by_service_times(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    start = TimeRange(Timestamp("20240611"), Timestamp("20240612"))
    assert _find(store, options, service_start_time=start) == 5
    stop = TimeRange(Timestamp("20240613"), None)
    assert _find(store, options, service_stop_time=stop) == 0


def test_find_documents_by_reference_id(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    query = FindDocumentsByReferenceIdQuery(
        patient_id=NIST_PATIENT,
        documents=DocumentEntryFilter(statuses=APPROVED, reference_ids=((REFERENCE_ID.render(),),)),
    )
    assert [o.entry_uuid for o in run(store, query, options)] == list(dataset.single_doc.documents)


def test_find_documents_of_on_demand_type_only(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    assert _find(store, options, entry_types=(DocumentEntryType.ON_DEMAND,)) == 0


def test_unknown_statuses_match_nothing(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    assert _find(store, options, statuses=()) == 0


def test_find_submission_sets(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset, nist: MetadataFactory
) -> None:
    """11898: simple 5, other sourceId 0, submissionTime in/out, author, content type."""

    def count(**criteria: object) -> int:
        query = FindSubmissionSetsQuery(
            patient_id=NIST_PATIENT,
            **{"statuses": APPROVED, **criteria},  # type: ignore[arg-type]
        )
        return len(run(store, query, options))

    assert count() == 5
    assert count(source_ids=("1.2.3.4.5",)) == 0
    assert count(submission_time=TimeRange(Timestamp("2024"), Timestamp("2025"))) == 5
    assert count(submission_time=TimeRange(Timestamp("2025"), None)) == 0
    assert count(author_person="%Smitty%") == 5
    assert count(author_person="%Nobody%") == 0
    assert count(content_type_codes=((nist.flavour.content_type_code,),)) == 5
    assert count(content_type_codes=((CLASS_A,),)) == 0


def test_find_folders(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset, nist: MetadataFactory
) -> None:
    """11899: basic 2, lastUpdateTime in and out of range, codeList."""

    def count(**criteria: object) -> int:
        folders = FolderFilter(**{"statuses": APPROVED, **criteria})  # type: ignore[arg-type]
        return len(run(store, FindFoldersQuery(patient_id=NIST_PATIENT, folders=folders), options))

    assert count() == 2
    assert count(last_update_time=TimeRange(Timestamp("20240612"), Timestamp("20240613"))) == 2
    assert count(last_update_time=TimeRange(None, Timestamp("2024"))) == 0
    assert count(codes=((nist.flavour.folder_code,),)) == 2
    assert count(codes=((CLASS_A,),)) == 0


def test_get_documents_by_unique_id_uuid_and_logical_id(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    """11901: one or two DocumentEntries per selector."""
    two = dataset.two_doc_w_fol
    for selector in (
        ObjectSelector(IdentifierKind.UNIQUE_ID, two.document_unique_ids),
        ObjectSelector(IdentifierKind.ENTRY_UUID, two.documents),
        ObjectSelector(IdentifierKind.LOGICAL_ID, two.documents),
    ):
        found = run(store, GetDocumentsQuery(documents=selector), options)
        assert sorted(o.entry_uuid for o in found) == sorted(two.documents)
    single = run(
        store, GetDocumentsQuery(documents=by_uuid(dataset.single_doc.documents[0])), options
    )
    assert len(single) == 1


def test_get_folders(store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset) -> None:
    folder = dataset.doc_w_fol.folder
    assert folder is not None
    found = run(store, GetFoldersQuery(folders=by_uuid(folder)), options)
    assert [o.entry_uuid for o in found] == [folder]


@pytest.mark.parametrize(
    ("uuids", "expected"),
    [
        (lambda d: [d.single_doc.documents[0]], 1),
        (lambda d: [d.doc_w_fol.documents[0]], 2),
        (lambda d: [d.doc_w_fol.submission_set], 3),
        (lambda d: [d.doc_w_fol.submission_set, d.single_doc.submission_set], 4),
    ],
)
def test_get_associations(
    store: SqlRegistryStore,
    options: RegistryOptions,
    dataset: Dataset,
    uuids: object,
    expected: int,
) -> None:
    """11903: single_from_doc 1, multiple_assoc_from_doc 2, from_ss 3, multiple_doc 4."""
    assert callable(uuids)
    found = run(store, GetAssociationsQuery(uuids=tuple(uuids(dataset))), options)
    assert kinds(found) == {ObjectKind.ASSOCIATION: expected}


def test_get_submission_set_and_contents(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    """11906 uniqueid (SS 1, Assoc 1, Doc 1) and folder_and_docs (SSwithTwoDocOneFol)."""
    single = GetSubmissionSetAndContentsQuery(
        submission_set=by_unique_id(dataset.single_doc.submission_set_unique_id),
        documents=DocumentEntryFilter(),
    )
    assert kinds(run(store, single, options)) == {
        ObjectKind.SUBMISSION_SET: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 1,
    }
    with_folder = GetSubmissionSetAndContentsQuery(
        submission_set=by_uuid(dataset.two_doc_w_fol.submission_set),
        documents=DocumentEntryFilter(),
    )
    assert kinds(run(store, with_folder, options)) == {
        ObjectKind.SUBMISSION_SET: 1,
        ObjectKind.DOCUMENT_ENTRY: 2,
        ObjectKind.FOLDER: 1,
        ObjectKind.ASSOCIATION: 7,
    }


@pytest.mark.parametrize(
    "documents",
    [
        DocumentEntryFilter(format_codes=((CDA,),)),
        DocumentEntryFilter(confidentiality_codes=((RESTRICTED,),)),
    ],
)
def test_submission_set_contents_filtered_to_one_document(
    store: SqlRegistryStore,
    options: RegistryOptions,
    dataset: Dataset,
    documents: DocumentEntryFilter,
) -> None:
    """11906 format_code / conf_code: SSwithOneDocOneFol, with the SS–(Folder–DE) HasMember."""
    query = GetSubmissionSetAndContentsQuery(
        submission_set=by_uuid(dataset.two_doc_w_fol.submission_set), documents=documents
    )
    assert kinds(run(store, query, options)) == {
        ObjectKind.SUBMISSION_SET: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.FOLDER: 1,
        ObjectKind.ASSOCIATION: 4,
    }


def test_submission_set_contents_as_object_refs(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    """11906 objectrefs: 3."""
    query = GetSubmissionSetAndContentsQuery(
        submission_set=by_uuid(dataset.single_doc.submission_set),
        documents=DocumentEntryFilter(),
        options=OBJECT_REFS,
    )
    assert len(run(store, query, options)) == 3


def test_get_folder_and_contents_and_folders_for_document(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    folder = dataset.two_doc_w_fol.folder
    assert folder is not None
    contents = GetFolderAndContentsQuery(folder=by_uuid(folder), documents=DocumentEntryFilter())
    assert kinds(run(store, contents, options)) == {
        ObjectKind.FOLDER: 1,
        ObjectKind.DOCUMENT_ENTRY: 2,
        ObjectKind.ASSOCIATION: 2,
    }
    for document_uuid in dataset.two_doc_w_fol.documents:
        query = GetFoldersForDocumentQuery(document=by_uuid(document_uuid))
        assert [o.entry_uuid for o in run(store, query, options)] == [folder]
    assert (
        run(
            store,
            GetFoldersForDocumentQuery(document=by_uuid(dataset.single_doc.documents[0])),
            options,
        )
        == []
    )


def test_get_related_documents(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    """11909: the replaced document gives Associations=1, Documents=2; others nothing."""
    types = (AssociationType.REPLACE, AssociationType.APPEND, AssociationType.TRANSFORM)

    def related(selector: ObjectSelector) -> list[ObjectKind]:
        query = GetRelatedDocumentsQuery(document=selector, association_types=types)
        return [o.kind for o in run(store, query, options)]

    replaced = dataset.doc_for_rplc
    assert sorted(related(by_unique_id(replaced.document_unique_ids[0]))) == sorted(
        [ObjectKind.DOCUMENT_ENTRY, ObjectKind.DOCUMENT_ENTRY, ObjectKind.ASSOCIATION]
    )
    assert related(by_unique_id(dataset.single_doc.document_unique_ids[0])) == []
    assert related(by_uuid(dataset.two_doc_w_fol.documents[1])) == []
    assert related(by_uuid("urn:uuid:00000000-0000-4000-8000-000000000404")) == []


def test_get_submission_sets_of_documents(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    query = GetSubmissionSetsQuery(uuids=dataset.two_doc_w_fol.documents)
    found = run(store, query, options)
    assert kinds(found) == {ObjectKind.SUBMISSION_SET: 1, ObjectKind.ASSOCIATION: 2}
    assert found[0].entry_uuid == dataset.two_doc_w_fol.submission_set


def test_get_documents_and_associations(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    query = GetDocumentsAndAssociationsQuery(documents=by_uuid(dataset.doc_for_rplc.documents[0]))
    assert kinds(run(store, query, options)) == {
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 2,
    }


def test_too_many_results(
    store: SqlRegistryStore, options: RegistryOptions, dataset: Dataset
) -> None:
    query = FindDocumentsQuery(
        patient_id=NIST_PATIENT, documents=DocumentEntryFilter(statuses=ALL_STATUSES)
    )

    with pytest.raises(XdsFailure) as failure:
        run_stored_query(store, query, options=dataclasses.replace(options, max_results=5))

    assert error_codes(failure) == [XdsErrorCode.TOO_MANY_RESULTS]
    limited = dataclasses.replace(options, max_results=6)
    assert len(run_stored_query(store, query, options=limited).objects) == 6


def test_leaf_class_result_of_two_patients_is_refused(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    mine = register_document_set(store, single_document(nist)[0], options=options)
    other = MetadataFactory(patient=OTHER_NIST_PATIENT, flavour=nist.flavour)
    theirs = register_document_set(store, single_document(other)[0], options=options)
    both = ObjectSelector(
        IdentifierKind.ENTRY_UUID,
        (mine.assigned_ids["Document01"], theirs.assigned_ids["Document01"]),
    )

    with pytest.raises(XdsFailure) as failure:
        run_stored_query(store, GetDocumentsQuery(documents=both), options=options)

    assert error_codes(failure) == [XdsErrorCode.RESULT_NOT_SINGLE_PATIENT]
    as_refs = GetDocumentsQuery(documents=both, options=OBJECT_REFS)
    assert len(run_stored_query(store, as_refs, options=options).objects) == 2
    multi = FindDocumentsForMultiplePatientsQuery(
        patient_ids=(NIST_PATIENT, OTHER_NIST_PATIENT),
        documents=DocumentEntryFilter(statuses=APPROVED),
    )
    assert len(run_stored_query(store, multi, options=options).objects) == 2
    anyone = FindDocumentsForMultiplePatientsQuery(
        patient_ids=(),
        documents=DocumentEntryFilter(statuses=APPROVED, class_codes=((nist.flavour.class_code,),)),
    )
    assert len(run_stored_query(store, anyone, options=options).objects) == 2
