"""Typed readings of single stored-query values: codes, patient ids, times, statuses, enumerations.

Each reader takes the text of one literal (quotes already removed) and returns the typed value or
raises `ValueError` saying what is wrong; the caller names the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from schemas.model.common import AvailabilityStatus, Code, DocumentEntryType
from schemas.model.hl7v2 import COMPONENT, Cx, Timestamp
from schemas.model.metadata import AssociationType
from schemas.queries.catalogue import ParameterKind

METADATA_LEVELS = frozenset({1, 2})


def read_code(text: str) -> Code:
    """`code^^scheme` (HL7 CE, as IHE, NIST and IPF write it); `code^^^scheme` is accepted too."""
    parts = text.split(COMPONENT)
    if len(parts) == 3:
        code, scheme = parts[0], parts[2]
    elif len(parts) == 4 and parts[1] == parts[2] == "":
        code, scheme = parts[0], parts[3]
    else:
        raise ValueError(f"expected code^^scheme, found {len(parts)} ^-separated components")
    if not code:
        raise ValueError("its code is empty")
    if not scheme:
        raise ValueError("its coding scheme is empty")
    return Code(code, scheme)


def read_patient_id(text: str) -> Cx:
    patient_id = Cx.parse(text)
    if not patient_id.id_number:
        raise ValueError("its id is empty")
    if not patient_id.authority_oid:
        raise ValueError("it has no assigning authority (id^^^&oid&ISO)")
    return patient_id


def read_string(text: str) -> str:
    if not text:
        raise ValueError("it is empty")
    return text


def read_status(text: str) -> AvailabilityStatus | None:
    """The status, or None for a value the registry does not understand (and so ignores)."""
    try:
        return AvailabilityStatus(text)
    except ValueError:
        return None


def read_entry_type(text: str) -> DocumentEntryType:
    try:
        return DocumentEntryType(text)
    except ValueError:
        raise ValueError("it is neither the stable nor the on-demand objectType") from None


def read_association_type(text: str) -> AssociationType:
    try:
        return AssociationType(text)
    except ValueError:
        raise ValueError("it is not an association type XDS defines") from None


def read_metadata_level(text: str) -> int:
    if not text.isdigit() or int(text) not in METADATA_LEVELS:
        raise ValueError("only 1 and 2 are defined")
    return int(text)


READERS: Mapping[ParameterKind, Callable[[str], object]] = MappingProxyType(
    {
        ParameterKind.PATIENT_ID: read_patient_id,
        ParameterKind.STATUS: read_status,
        ParameterKind.CODE: read_code,
        ParameterKind.TIME: Timestamp.parse,
        ParameterKind.STRING: read_string,
        ParameterKind.LIKE_PATTERN: read_string,
        ParameterKind.ENTRY_TYPE: read_entry_type,
        ParameterKind.ASSOCIATION_TYPE: read_association_type,
        ParameterKind.METADATA_LEVEL: read_metadata_level,
    }
)
"""One reader per parameter kind, to check every value before the query is built."""
