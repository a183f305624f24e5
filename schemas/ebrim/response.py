"""`rs:RegistryResponse` (ITI-41, 42, 57, 62, 86) and the status and RegistryErrorList it shares
with the query and retrieve responses.

Reading a response is lenient where a peer's answer is merely untidy: a short status or severity
(`Success`, `Warning`) is understood, and a RegistryError without `codeContext` reads as "".
`highestSeverity` is computed on writing and ignored on reading (the errors say it).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from schemas.ebrim.wire import (
    expect_root,
    read_slot_list,
    required_attribute,
    root_element,
    rs,
    write_slot_list,
)
from schemas.errors import RegistryError, ResponseStatus, Severity
from schemas.model.common import Slot
from schemas.model.messages import RegistryResponse
from schemas.soap import sender_fault

_STATUS_BY_NAME = {status.value.rsplit(":", 1)[-1]: status for status in ResponseStatus}


def read_status(element: etree._Element) -> ResponseStatus:
    """The `status` attribute, by its full URN or its last part."""
    raw = required_attribute(element, "status").strip()
    status = _STATUS_BY_NAME.get(raw.rsplit(":", 1)[-1])
    if status is None:
        raise sender_fault(f"{raw!r} is not a RegistryResponse status")
    return status


def read_severity(raw: str | None) -> Severity:
    """The severity; absent means Error (the XSD default), anything ending in Warning a warning."""
    return Severity.WARNING if raw is not None and raw.endswith("Warning") else Severity.ERROR


def read_registry_errors(parent: etree._Element) -> tuple[RegistryError, ...]:
    """The errors of the `rs:RegistryErrorList` under `parent` (none when there is no list)."""
    error_list = parent.find(rs("RegistryErrorList"))
    if error_list is None:
        return ()
    return tuple(
        RegistryError(
            code=error.get("errorCode", ""),
            context=error.get("codeContext", ""),
            location=error.get("location"),
            severity=read_severity(error.get("severity")),
            value=(error.text or "").strip() or None,
        )
        for error in error_list.iterchildren(rs("RegistryError"))
    )


def highest_severity(errors: Iterable[RegistryError]) -> Severity:
    return Severity.ERROR if any(e.is_error for e in errors) else Severity.WARNING


def write_registry_errors(parent: etree._Element, errors: tuple[RegistryError, ...]) -> None:
    if not errors:
        return
    error_list = etree.SubElement(parent, rs("RegistryErrorList"))
    error_list.set("highestSeverity", highest_severity(errors).value)
    for error in errors:
        element = etree.SubElement(error_list, rs("RegistryError"))
        element.set("codeContext", error.context)
        element.set("errorCode", error.code)
        element.set("severity", error.severity.value)
        if error.location is not None:
            element.set("location", error.location)
        element.text = error.value


def write_response_head(
    element: etree._Element,
    status: ResponseStatus,
    errors: tuple[RegistryError, ...],
    slots: Iterable[Slot] = (),
) -> None:
    """What every ebRS response starts with: status, ResponseSlotList, RegistryErrorList."""
    element.set("status", status.value)
    write_slot_list(element, rs("ResponseSlotList"), slots)
    write_registry_errors(element, errors)


def parse_registry_response(payload: etree._Element) -> RegistryResponse:
    expect_root(payload, rs("RegistryResponse"))
    return RegistryResponse(
        status=read_status(payload),
        errors=read_registry_errors(payload),
        response_slots=read_slot_list(payload, rs("ResponseSlotList")),
        request_id=payload.get("requestId"),
    )


def build_registry_response(response: RegistryResponse) -> etree._Element:
    root = root_element(rs("RegistryResponse"), "rs", "rim")
    if response.request_id is not None:
        root.set("requestId", response.request_id)
    write_response_head(root, response.status, response.errors, response.response_slots)
    return root
