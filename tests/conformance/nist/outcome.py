"""A response's status and errors, and the checks of guide §1.1 that judge them.

- `ExpectedStatus`: the response status (full URN) must be one of the expected ones (NIST
  `BasicTransaction.eval_expected_status`); a step that names none expects Success.
- `ExpectedErrorMessage`: a substring of the `errorCode` or the `codeContext` of some RegistryError
  whose severity is Error (NIST `RegistryResponseParser.get_error_code_contexts`).
- `ExpectedErrorCode`: exactly the `errorCode` of some RegistryError.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from schemas.ebrim.response import read_registry_errors, read_status
from schemas.ebrim.rim import RimObjectList, read_object_list
from schemas.ebrim.wire import required_child, rs
from schemas.errors import RegistryError, ResponseStatus
from tests.conformance.nist.report import CheckFailure
from tests.conformance.nist.testplan import TestStep

_RETRIEVE_RESPONSE = "RetrieveDocumentSetResponse"
_OBJECT_LIST = "RegistryObjectList"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a response says: its status, its errors and the objects it returns."""

    status: ResponseStatus
    errors: tuple[RegistryError, ...] = ()
    objects: RimObjectList = field(default_factory=RimObjectList)


def read_outcome(payload: etree._Element) -> Outcome:
    """The outcome of a RegistryResponse, AdhocQueryResponse or RetrieveDocumentSetResponse.

    Raises `SoapFault` when the payload has no readable status.
    """
    holder = payload
    if etree.QName(payload).localname == _RETRIEVE_RESPONSE:
        holder = required_child(payload, rs("RegistryResponse"))
    object_list = next(
        (c for c in payload.iterchildren("*") if etree.QName(c).localname == _OBJECT_LIST), None
    )
    return Outcome(read_status(holder), read_registry_errors(holder), read_object_list(object_list))


def _expected(step: TestStep) -> tuple[ResponseStatus, ...]:
    return step.expected_statuses or (ResponseStatus.SUCCESS,)


def _short(status: str) -> str:
    return status.rsplit(":", 1)[-1]


def check_outcome(step: TestStep, outcome: Outcome) -> list[CheckFailure]:
    """The failed status and error checks of a step."""
    failures = []
    expected = _expected(step)
    if outcome.status not in expected:
        wanted = " or ".join(_short(s) for s in expected)
        failures.append(
            CheckFailure("ExpectedStatus", f"expected {wanted}, got {_short(outcome.status)}")
        )
    message = step.expected_error_message
    if message is not None and not any(
        message in error.code or message in error.context
        for error in outcome.errors
        if error.is_error
    ):
        failures.append(
            CheckFailure(
                "ExpectedErrorMessage",
                f"no error of severity Error has {message!r} in its errorCode or codeContext",
            )
        )
    code = step.expected_error_code
    if code is not None and code not in {error.code for error in outcome.errors}:
        failures.append(CheckFailure("ExpectedErrorCode", f"no error has errorCode {code!r}"))
    return failures


def expected_statuses(step: TestStep) -> tuple[str, ...]:
    """The statuses a step expects, as the report shows them."""
    return tuple(status.value for status in _expected(step))
