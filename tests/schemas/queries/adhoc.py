"""Building AdhocQueryRequests for the stored-query tests."""

from __future__ import annotations

from typing import TypeVar

import pytest

from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsFailure
from schemas.model import (
    AdhocQueryRequest,
    AvailabilityStatus,
    Cx,
    QueryParameter,
    ReturnType,
)
from schemas.queries import (
    parse_stored_query,
)

FNR_OID = "2.16.578.1.12.4.1.4.1"
PATIENT = Cx.of("15838512329", FNR_OID)
OTHER_PATIENT = Cx.of("02858045633", FNR_OID)
APPROVED = f"('{v.STATUS_APPROVED}')"
BOTH_STATUSES = f"('{v.STATUS_APPROVED}', '{v.STATUS_DEPRECATED}')"
ALL_APPROVED = (AvailabilityStatus.APPROVED,)
DOC_UUID = "urn:uuid:6b0d8a9c-23a8-4a2b-9d56-3f6f0b1f0c11"

Param = tuple[str, str | tuple[str, ...]]


def quoted(cx: Cx) -> str:
    return f"'{cx.render()}'"


def request(
    query_id: str, *params: Param, return_type: ReturnType = ReturnType.LEAF_CLASS
) -> AdhocQueryRequest:
    return AdhocQueryRequest(
        query_id=query_id,
        parameters=tuple(
            QueryParameter(name, values if isinstance(values, tuple) else (values,))
            for name, values in params
        ),
        return_type=return_type,
    )


def find_documents(*params: Param) -> AdhocQueryRequest:
    return request(
        v.QUERY_FIND_DOCUMENTS,
        (v.PARAM_DE_PATIENT_ID, quoted(PATIENT)),
        (v.PARAM_DE_STATUS, APPROVED),
        *params,
    )


Q = TypeVar("Q")


def parse_as(query: AdhocQueryRequest, kind: type[Q]) -> Q:
    parsed = parse_stored_query(query)
    assert isinstance(parsed, kind)
    return parsed


def errors_of(query: AdhocQueryRequest) -> tuple[RegistryError, ...]:
    with pytest.raises(XdsFailure) as failure:
        parse_stored_query(query)
    return failure.value.errors


def only_error(query: AdhocQueryRequest) -> RegistryError:
    errors = errors_of(query)
    assert len(errors) == 1, errors
    return errors[0]
