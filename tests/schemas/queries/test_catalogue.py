from __future__ import annotations

import pytest

from schemas import vocabulary as v
from schemas.queries import (
    CATALOGUE,
    StoredQuerySpec,
    Transaction,
)


def test_the_catalogue_holds_the_14_iti18_and_2_iti51_queries() -> None:
    query_ids = {value for name, value in vars(v).items() if name.startswith("QUERY_")}
    assert set(CATALOGUE) == query_ids
    transactions = [spec.transaction for spec in CATALOGUE.values()]
    assert transactions.count(Transaction.REGISTRY_STORED_QUERY) == 14
    assert transactions.count(Transaction.MULTI_PATIENT_QUERY) == 2


@pytest.mark.parametrize("spec", CATALOGUE.values(), ids=lambda s: s.name)
def test_every_query_takes_home_community_and_metadata_level(spec: StoredQuerySpec) -> None:
    names = {p.name for p in spec.parameters}
    assert {v.PARAM_HOME_COMMUNITY_ID, v.PARAM_METADATA_LEVEL} <= names
    assert all(spec.parameter(name) is not None for name in spec.exactly_one_of)
    assert all(spec.parameter(name) is not None for name in spec.at_least_one_of)


def test_and_semantics_across_slots_is_limited_to_the_repeatable_parameters() -> None:
    repeatable = {
        p.name for spec in CATALOGUE.values() for p in spec.parameters if p.and_across_slots
    }
    assert repeatable == {
        v.PARAM_DE_EVENT_CODE_LIST,
        v.PARAM_DE_CONFIDENTIALITY_CODE,
        v.PARAM_FOLDER_CODE_LIST,
        v.PARAM_DE_REFERENCE_ID_LIST,
    }
