"""Query responses spliced from stored bytes are schema-valid and read back as the same objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.entries import ObjectKind
from registry.responses import query_response_body
from registry.services import RegistryOptions, run_stored_query
from registry.storage import SqlRegistryStore
from schemas.ebrim.query import parse_adhoc_query_response
from schemas.errors import RegistryError, ResponseStatus, Severity, XdsErrorCode
from schemas.model import AvailabilityStatus, DocumentEntryType, ReturnType
from schemas.queries import DocumentEntryFilter, GetAllQuery, QueryOptions
from schemas.xml import parse_xml
from tests.registry.dataset import build_dataset
from tests.registry.lookups import ALL_STATUSES, parsed
from tests.support.registry_metadata import NIST_PATIENT, MetadataFactory
from tests.support.xsd import assert_valid


def _get_all(return_type: ReturnType) -> GetAllQuery:
    return GetAllQuery(
        patient_id=NIST_PATIENT,
        documents=DocumentEntryFilter(
            statuses=ALL_STATUSES,
            entry_types=(DocumentEntryType.STABLE, DocumentEntryType.ON_DEMAND),
        ),
        submission_set_statuses=(AvailabilityStatus.APPROVED,),
        folder_statuses=ALL_STATUSES,
        options=QueryOptions(return_type=return_type),
    )


@pytest.fixture
def loaded(store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory) -> None:
    build_dataset(store, options, nist)


@pytest.mark.usefixtures("loaded")
def test_leaf_class_response_from_stored_bytes(
    store: SqlRegistryStore, options: RegistryOptions, conformance: Path
) -> None:
    result = run_stored_query(store, _get_all(ReturnType.LEAF_CLASS), options=options)
    ignored = RegistryError(
        code=XdsErrorCode.REGISTRY_ERROR,
        context="parameter $XDSExtra was ignored",
        severity=Severity.WARNING,
    )

    body = query_response_body(result, [ignored])

    root = parse_xml(body)
    assert_valid(root)
    response = parse_adhoc_query_response(root)
    assert response.status is ResponseStatus.SUCCESS
    assert response.errors == (ignored,)
    read_back = list(response.metadata.registry_objects())
    stored = [parsed(o) for o in result.objects]
    assert sorted(o.entry_uuid for o in read_back) == sorted(o.entry_uuid for o in stored)
    assert len(response.metadata.submission_sets) == 5
    assert len(response.metadata.folders) == 2
    assert {o.entry_uuid: o for o in read_back} == {o.entry_uuid: o for o in stored}


@pytest.mark.usefixtures("loaded")
def test_object_ref_response(store: SqlRegistryStore, options: RegistryOptions) -> None:
    result = run_stored_query(store, _get_all(ReturnType.OBJECT_REF), options=options)

    root = parse_xml(query_response_body(result))

    assert_valid(root)
    refs = parse_adhoc_query_response(root).metadata.object_refs
    assert [r.id for r in refs] == [o.entry_uuid for o in result.objects]
    assert sum(o.kind is ObjectKind.ASSOCIATION for o in result.objects) == 15
