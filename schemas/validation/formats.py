"""Checks of single values: OIDs, UUIDs, DTM, hash, size, media types, language tags, HL7 types.

Each function returns None when the value is fine, or a short reason a person can act on. They are
pure and total, like the HL7 parsers in `schemas.model.hl7v2` they build on.
"""

from __future__ import annotations

import re

from schemas import vocabulary as v
from schemas.model.hl7v2 import Cx, HierarchicDesignator, Timestamp, Xcn, Xon, Xtn

OID_MAX_LENGTH = 64
_OID = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_POSITIVE_INTEGER = re.compile(r"^[1-9][0-9]*$")
_MEDIA_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*"
_MIME_TYPE = re.compile(rf"^{_MEDIA_NAME}/{_MEDIA_NAME}\s*(;.*)?$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_PID_FIELD = re.compile(r"^PID-([0-9]+)\|(.*)$")
# ITI TF-3 4.2.3.2.24: sourcePatientInfo shall not carry PID-2, PID-4, PID-12 or PID-19.
_PID_FIELDS_NOT_ALLOWED = frozenset({2, 4, 12, 19})
_PID_PATIENT_ID, _PID_BIRTH_DATE = 3, 7
_EMAIL_EQUIPMENT = frozenset({"Internet", "X.400"})


def oid_problem(text: str) -> str | None:
    if not _OID.match(text):
        return "an OID (digits separated by dots, such as 2.16.578.1.12.4.1.7)"
    if len(text) > OID_MAX_LENGTH:
        return f"an OID of at most {OID_MAX_LENGTH} characters"
    return None


def document_unique_id_problem(text: str) -> str | None:
    """DocumentEntry.uniqueId: an OID, or OID^extension."""
    root, separator, extension = text.partition("^")
    if oid_problem(root) is not None or (separator and (not extension or "^" in extension)):
        return "an OID or OID^extension"
    return None


def entry_uuid_problem(text: str, *, symbolic_allowed: bool) -> str | None:
    if text.startswith(v.UUID_PREFIX):
        if _UUID.match(text[len(v.UUID_PREFIX) :]):
            return None
        return "starts with urn:uuid: but is not a UUID (8-4-4-4-12 hexadecimal digits)"
    return None if symbolic_allowed else "is not a urn:uuid, as every registry object's id is"


def is_uuid_reference(text: str) -> bool:
    return entry_uuid_problem(text, symbolic_allowed=False) is None


def dtm_problem(text: str) -> str | None:
    try:
        Timestamp.parse(text)
    except ValueError as exc:
        return str(exc)
    return None


def hash_problem(text: str) -> str | None:
    return None if _SHA1.match(text) else "not 40 hexadecimal digits"


def size_problem(text: str) -> str | None:
    return None if _POSITIVE_INTEGER.match(text) else "not a positive integer"


def mime_type_problem(text: str) -> str | None:
    return None if _MIME_TYPE.match(text) else "not type/subtype"


def language_code_problem(text: str) -> str | None:
    return None if _LANGUAGE_TAG.match(text) else "not a language tag"


def authority_problem(authority: HierarchicDesignator) -> str | None:
    """An assigning authority as XDS wants it: `&OID&ISO`."""
    if not authority.universal_id:
        return "it has no assigning authority OID"
    if oid_problem(authority.universal_id) is not None:
        return f"the assigning authority {authority.universal_id!r} is not an OID"
    if authority.universal_id_type != v.HL7_ISO:
        return f"the assigning authority type is {authority.universal_id_type!r}, not ISO"
    return None


def cx_problem(text: str) -> str | None:
    cx = Cx.parse(text)
    if not cx.id_number:
        return "it has no id"
    return authority_problem(cx.assigning_authority)


def cx_extra_components(text: str) -> str | None:
    """XDS patient ids carry only component 1 (id) and 4 (assigning authority, no namespace)."""
    cx = Cx.parse(text)
    extras = [
        name
        for name, value in (
            ("check digit", cx.check_digit),
            ("check digit scheme", cx.check_digit_scheme),
            ("assigning authority namespace", cx.assigning_authority.namespace_id),
            ("identifier type code", cx.identifier_type_code),
            ("assigning facility", cx.assigning_facility.render()),
        )
        if value
    ]
    if text.count("^") > 5:
        extras.append("components after the sixth")
    return ", ".join(extras) or None


def reference_id_problem(text: str) -> str | None:
    """CXi of referenceIdList: an id and a type code; an assigning authority, if any, &OID&ISO."""
    cx = Cx.parse(text)
    if not cx.id_number:
        return "it has no id"
    if not cx.identifier_type_code:
        return "it has no identifier type code (component 5)"
    if not cx.assigning_authority.is_empty:
        return authority_problem(cx.assigning_authority)
    return None


def xcn_problem(text: str) -> str | None:
    person = Xcn.parse(text)
    if not (person.id_number or person.family_name or person.given_name):
        return "it has neither an id nor a name"
    if person.id_number:
        problem = authority_problem(person.assigning_authority)
        if problem is not None:
            return f"it has the id {person.id_number!r}, but {problem}"
    return None


def xon_problem(text: str) -> str | None:
    organisation = Xon.parse(text)
    if not organisation.organization_name:
        return "it has no organisation name"
    identifier = organisation.organization_identifier
    if identifier and oid_problem(identifier) is not None:
        problem = authority_problem(organisation.assigning_authority)
        if problem is not None:
            return f"its identifier {identifier!r} is not an OID, and {problem}"
    return None


def xtn_problem(text: str) -> str | None:
    telecom = Xtn.parse(text)
    if telecom.equipment_type in _EMAIL_EQUIPMENT or telecom.email:
        if "@" not in telecom.email:
            return "an Internet address needs an e-mail address (component 4) with an @"
        return None
    if any(c.strip() for c in (telecom.components[0], *telecom.components[4:])):
        return None
    return "it has neither an e-mail address nor a telephone number"


def source_patient_info_problem(value: str) -> str | None:
    """One `PID-n|value` line; PID-3 values are patient ids, PID-7 a birth date."""
    match = _PID_FIELD.match(value)
    if match is None:
        return "is not PID-n|value"
    field, content = int(match[1]), match[2]
    if field in _PID_FIELDS_NOT_ALLOWED:
        return f"is PID-{field}, which sourcePatientInfo may not carry"
    if field == _PID_PATIENT_ID and not Cx.parse(content).id_number:
        return "has no patient id in PID-3"
    if field == _PID_BIRTH_DATE and dtm_problem(content) is not None:
        return "has no date (YYYYMMDD) in PID-7"
    return None
