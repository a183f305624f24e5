"""A response's status and errors, as written, and the checks of guide §1.1 that judge them.

- `ExpectedStatus`: the response status must be one of the expected ones, as full URNs (NIST
  `BasicTransaction.eval_expected_status`); a step that names none expects Success.
- `ExpectedErrorMessage`: a substring of the `errorCode` or the `codeContext` of some RegistryError
  whose `severity` ends with `Error` (NIST `RegistryResponseParser.get_error_code_contexts`).
- `ExpectedErrorCode`: exactly the `errorCode` of some RegistryError.
The status and severities are read as the response writes them: a short `Success` is not the URN.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from schemas.ebrim.rim import RimObjectList, read_object_list
from schemas.ebrim.wire import rs
from schemas.errors import ResponseStatus
from tests.conformance.nist.report import CheckFailure, ReportedError
from tests.conformance.nist.testplan import TestStep

_RETRIEVE_RESPONSE = "RetrieveDocumentSetResponse"
_OBJECT_LIST = "RegistryObjectList"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a response says: its status ("" when it has none), its errors, its objects."""

    status: str
    errors: tuple[ReportedError, ...] = ()
    objects: RimObjectList = field(default_factory=RimObjectList)


def _errors(holder: etree._Element) -> tuple[ReportedError, ...]:
    error_list = holder.find(rs("RegistryErrorList"))
    if error_list is None:
        return ()
    return tuple(
        ReportedError(
            code=error.get("errorCode", ""),
            context=error.get("codeContext", ""),
            severity=error.get("severity", ""),
            location=error.get("location"),
        )
        for error in error_list.iterchildren(rs("RegistryError"))
    )


def read_outcome(payload: etree._Element) -> Outcome:
    """The outcome of a RegistryResponse, AdhocQueryResponse or RetrieveDocumentSetResponse."""
    holder: etree._Element | None = payload
    if etree.QName(payload).localname == _RETRIEVE_RESPONSE:
        holder = payload.find(rs("RegistryResponse"))
    object_list = next(
        (c for c in payload.iterchildren("*") if etree.QName(c).localname == _OBJECT_LIST), None
    )
    if holder is None:
        return Outcome("", objects=read_object_list(object_list))
    status = holder.get("status", "").strip()
    return Outcome(status, _errors(holder), read_object_list(object_list))


def _expected(step: TestStep) -> tuple[ResponseStatus, ...]:
    return step.expected_statuses or (ResponseStatus.SUCCESS,)


def _short(status: str) -> str:
    return status.rsplit(":", 1)[-1]


def _status_failure(step: TestStep, status: str) -> CheckFailure | None:
    expected = _expected(step)
    if status in {s.value for s in expected}:
        return None
    wanted = " or ".join(_short(s) for s in expected)
    if not status:
        return CheckFailure("ExpectedStatus", f"expected {wanted}; the response has no status")
    got = _short(status) if status.startswith("urn:") else f"{status!r}, not a status URN"
    return CheckFailure("ExpectedStatus", f"expected {wanted}, got {got}")


def check_outcome(step: TestStep, outcome: Outcome) -> list[CheckFailure]:
    """The failed status and error checks of a step."""
    failures = []
    status = _status_failure(step, outcome.status)
    if status is not None:
        failures.append(status)
    message = step.expected_error_message
    if message is not None and not any(
        message in error.code or message in error.context
        for error in outcome.errors
        if error.severity.endswith("Error")
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
