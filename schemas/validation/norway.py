"""Norwegian profile rules: national patient ids, Volven codes, PJD document types, HPR, org.nr.

Off in `ihe-strict` and `lenient`, on in `norway` (see the levels in `rules`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimObject
from schemas.model.hl7v2 import Cx, Xcn, Xon
from schemas.norway import oids
from schemas.norway.codes import find_code_system
from schemas.norway.identifiers import (
    InvalidIdentifier,
    is_valid_hpr_number,
    is_valid_organisation_number,
    validate_national_identity_number,
)
from schemas.validation.authors import author_label
from schemas.validation.common import classifications, coding_scheme, external_identifier
from schemas.validation.context import Checker, ObjectKind
from schemas.validation.rules import Rule

PATIENT_ID_SCHEMES = {
    ObjectKind.SUBMISSION_SET: v.SS_PATIENT_ID,
    ObjectKind.FOLDER: v.FOLDER_PATIENT_ID,
    ObjectKind.DOCUMENT_ENTRY: v.DE_PATIENT_ID,
}
CLASS_LEVEL, TYPE_LEVEL = 1, 2
CONFIDENTIALITY_SYSTEMS = frozenset({oids.SPERRING_OG_NEKTING, oids.HL7_CONFIDENTIALITY})


def check_norwegian_profile(c: Checker) -> None:
    for obj in (*c.submission_sets, *c.folders, *c.document_entries):
        patient_id = external_identifier(obj, PATIENT_ID_SCHEMES[c.kind_of(obj)])
        if patient_id:
            _check_patient_id(c, obj, patient_id)
    for entry in c.document_entries:
        _check_document_codes(c, entry)
    for obj in (*c.submission_sets, *c.document_entries):
        _check_people_and_organisations(c, obj)


def _check_patient_id(c: Checker, obj: RimObject, value: str) -> None:
    cx = Cx.parse(value)
    authority = oids.bare_oid(cx.authority_oid)
    if authority not in oids.PERSON_IDENTIFIER_AUTHORITIES:
        allowed = ", ".join(sorted(oids.PERSON_IDENTIFIER_AUTHORITIES))
        c.report(
            Rule.NORWAY_PATIENT_ID_AUTHORITY, obj, value=value, authority=authority, allowed=allowed
        )
        return
    try:
        number = validate_national_identity_number(cx.id_number, authority)
    except InvalidIdentifier as exc:
        c.report(Rule.NORWAY_PATIENT_ID, obj, value=value, reason=str(exc))
        return
    if number.synthetic:
        c.report(Rule.NORWAY_SYNTHETIC_PATIENT_ID, obj, value=value)


def _volven_level(code: RimClassification) -> int | None:
    """The 9602 level of a class or type code, None when it is not a 9602 code."""
    system = find_code_system(coding_scheme(code))
    if system is None or system.oid != oids.DOKUMENTTYPE:
        return None
    concept = system.concept(code.node_representation or "")
    return None if concept is None else concept.level


def _in_system(code: RimClassification, system_oids: frozenset[str]) -> bool:
    system = find_code_system(coding_scheme(code))
    return system is not None and system.oid in system_oids


def _report_foreign(
    c: Checker, entry: RimObject, attribute: str, code: RimClassification, expected: str
) -> None:
    c.report(
        Rule.NORWAY_FOREIGN_CODE_SYSTEM,
        entry,
        attribute=attribute,
        code=code.node_representation,
        scheme=coding_scheme(code),
        expected=expected,
    )


def _check_document_codes(c: Checker, entry: RimObject) -> None:
    class_codes = classifications(c, entry, v.DE_CLASS_CODE)
    type_codes = classifications(c, entry, v.DE_TYPE_CODE)
    volven_coded = _check_volven_codes(c, entry, class_codes, type_codes)
    _check_confidentiality_codes(c, entry)
    class_code = class_codes[0].node_representation if class_codes else None
    type_code = type_codes[0].node_representation if type_codes else None
    if (
        volven_coded
        and (class_code or type_code)
        and not c.profile.document_types.allows(class_code, type_code)
    ):
        c.report(
            Rule.NORWAY_DOCUMENT_TYPE,
            entry,
            class_code=class_code,
            type_code=type_code,
            allowed=c.profile.document_types.describe(),
        )


def _check_volven_codes(
    c: Checker,
    entry: RimObject,
    class_codes: Sequence[RimClassification],
    type_codes: Sequence[RimClassification],
) -> bool:
    """Class and type codes under Volven 9602 must be real 9602 codes; True when both are 9602."""
    volven = frozenset({oids.DOKUMENTTYPE})
    volven_coded = True
    for code in class_codes:
        if not _in_system(code, volven):
            _report_foreign(c, entry, "classCode", code, f"Volven 9602 ({oids.DOKUMENTTYPE})")
            volven_coded = False
        elif _volven_level(code) != CLASS_LEVEL:
            c.report(
                Rule.NORWAY_CLASS_CODE,
                entry,
                code=code.node_representation,
                scheme=coding_scheme(code),
            )
    class_code = class_codes[0].node_representation if class_codes else None
    for code in type_codes:
        if not _in_system(code, volven):
            _report_foreign(c, entry, "typeCode", code, f"Volven 9602 ({oids.DOKUMENTTYPE})")
            volven_coded = False
            continue
        reason = _type_code_problem(code, class_code)
        if reason is not None:
            c.report(
                Rule.NORWAY_TYPE_CODE,
                entry,
                code=code.node_representation,
                scheme=coding_scheme(code),
                reason=reason,
            )
    return volven_coded


def _check_confidentiality_codes(c: Checker, entry: RimObject) -> None:
    expected = f"Volven 9603 ({oids.SPERRING_OG_NEKTING}) or HL7 ({oids.HL7_CONFIDENTIALITY})"
    for code in classifications(c, entry, v.DE_CONFIDENTIALITY_CODE):
        system = find_code_system(coding_scheme(code))
        if system is None or system.oid not in CONFIDENTIALITY_SYSTEMS:
            _report_foreign(c, entry, "confidentialityCode", code, expected)
        elif code.node_representation not in system:
            c.report(
                Rule.NORWAY_CONFIDENTIALITY_CODE,
                entry,
                code=code.node_representation,
                scheme=coding_scheme(code),
            )


def _type_code_problem(code: RimClassification, class_code: str | None) -> str | None:
    if _volven_level(code) != TYPE_LEVEL:
        return "is not a Volven 9602 type code (level 2, such as A03-2)"
    parent = (code.node_representation or "")[0] + "00-1"
    if class_code is not None and class_code != parent:
        return f"belongs to class {parent}, but the classCode is {class_code}"
    return None


def _named_parties(c: Checker, obj: RimObject) -> Iterator[tuple[str, str, str]]:
    """(label, attribute, value) of each author person and institution and legal authenticator."""
    scheme = v.DE_AUTHOR if c.kind_of(obj) is ObjectKind.DOCUMENT_ENTRY else v.SS_AUTHOR
    for author in classifications(c, obj, scheme):
        for slot in author.slots:
            if slot.name in (v.SLOT_AUTHOR_PERSON, v.SLOT_AUTHOR_INSTITUTION):
                for value in slot.values:
                    yield author_label(c, obj, author), slot.name, value
    for value in obj.slot_values(v.SLOT_LEGAL_AUTHENTICATOR):
        yield c.label(obj), v.SLOT_LEGAL_AUTHENTICATOR, value


def _check_people_and_organisations(c: Checker, obj: RimObject) -> None:
    for label, attribute, value in _named_parties(c, obj):
        if attribute == v.SLOT_AUTHOR_INSTITUTION:
            organisation = Xon.parse(value)
            authority = oids.bare_oid(organisation.assigning_authority.universal_id)
            number = organisation.organization_identifier
            if authority == oids.ENHETSREGISTERET and not is_valid_organisation_number(number):
                rule = Rule.NORWAY_ORGANISATION_NUMBER
                c.report(rule, obj, obj=label, attribute=attribute, value=value, number=number)
            continue
        person = Xcn.parse(value)
        authority = oids.bare_oid(person.assigning_authority.universal_id)
        if authority == oids.HPR_NUMMER and not is_valid_hpr_number(person.id_number):
            rule = Rule.NORWAY_HPR_NUMBER
            c.report(
                rule, obj, obj=label, attribute=attribute, value=value, number=person.id_number
            )
