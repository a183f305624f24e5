"""Checks every XDS object kind shares: ids, slots, coded classifications, ExternalIdentifiers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimObject, RimSlot
from schemas.model.common import text_of
from schemas.validation import formats
from schemas.validation.context import Checker
from schemas.validation.rules import Rule

ValueCheck = Callable[[str], "str | None"]
FormatCheck = tuple[Rule, ValueCheck]

TIME: FormatCheck = (Rule.TIME_MALFORMED, formats.dtm_problem)
OID: FormatCheck = (Rule.OID_MALFORMED, formats.oid_problem)
PATIENT_ID: tuple[FormatCheck, ...] = (
    (Rule.CX_MALFORMED, formats.cx_problem),
    (Rule.CX_EXTRA_COMPONENTS, formats.cx_extra_components),
)


@dataclass(frozen=True, slots=True)
class SlotSpec:
    """A slot XDS defines: the rule when it is missing (None: optional), arity and value checks."""

    name: str
    missing: Rule | None = None
    single: bool = True
    checks: tuple[FormatCheck, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """A coded attribute carried as a Classification with this scheme."""

    scheme: str
    attribute: str
    missing: Rule | None
    single: bool = True


@dataclass(frozen=True, slots=True)
class IdentifierSpec:
    """An ExternalIdentifier XDS requires, with the checks of its value."""

    scheme: str
    attribute: str
    missing: Rule
    checks: tuple[FormatCheck, ...]


def check_entry_uuid(c: Checker, obj: RimObject) -> None:
    if not obj.id:
        c.report(Rule.ENTRY_UUID_MISSING, obj)
        return
    problem = formats.entry_uuid_problem(obj.id, symbolic_allowed=c.transaction.is_submission)
    if problem is not None:
        c.report(Rule.ENTRY_UUID_MALFORMED, obj, id=obj.id, reason=problem)


def check_status(c: Checker, obj: RimObject, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if obj.status and obj.status not in allowed:
        names = " or ".join(status.rsplit(":", 1)[-1] for status in allowed)
        reason = f"a {c.kind_of(obj)} is {names}"
        c.report(Rule.AVAILABILITY_STATUS, obj, status=obj.status, reason=reason)


def check_parts_belong(c: Checker, obj: RimObject) -> None:
    """Nested Classifications and ExternalIdentifiers may not name another object than their own.

    An absent classifiedObject/registryObject is taken to mean the object they are nested in.
    """
    if not obj.id:
        return
    parts = [("Classification", p.id, p.classified_object) for p in obj.classifications]
    parts += [("ExternalIdentifier", p.id, p.registry_object) for p in obj.external_identifiers]
    for part, part_id, target in parts:
        if target and target != obj.id:
            c.report(
                Rule.REFERENCE_MISMATCH,
                obj,
                part=part,
                part_id=part_id,
                target=target,
                own_id=obj.id,
            )


def check_slots(
    c: Checker, owner: RimObject, slots: tuple[RimSlot, ...], specs: Iterable[SlotSpec], label: str
) -> None:
    """Duplicates, required slots, single values and value formats of `slots` (of `owner`)."""
    values_by_name: dict[str, list[str]] = {}
    for name, count in Counter(s.name for s in slots).items():
        if count > 1:
            c.report(Rule.SLOT_DUPLICATE, owner, obj=label, slot=name, count=count)
    for s in slots:
        values_by_name.setdefault(s.name, []).extend(s.values)
    for spec in specs:
        values = values_by_name.get(spec.name, [])
        if not values:
            if spec.missing is not None:
                c.report(spec.missing, owner, obj=label)
            continue
        if spec.single and len(values) > 1:
            c.report(Rule.SLOT_TOO_MANY_VALUES, owner, obj=label, slot=spec.name, count=len(values))
        check_values(c, owner, spec.name, values, spec.checks, label=label)


def check_values(
    c: Checker,
    owner: RimObject,
    attribute: str,
    values: Iterable[str],
    checks: Iterable[FormatCheck],
    *,
    label: str | None = None,
) -> None:
    fields = {} if label is None else {"obj": label}
    for value in values:
        for rule, check in checks:
            problem = check(value)
            if problem is not None:
                c.report(rule, owner, attribute=attribute, value=value, reason=problem, **fields)


def check_extra_metadata(c: Checker, obj: RimObject, defined: frozenset[str]) -> None:
    """Slots XDS does not define must have `urn:` names (they are stored as extra metadata)."""
    for name in dict.fromkeys(s.name for s in obj.slots):
        if name not in defined and not name.startswith("urn:"):
            c.report(Rule.EXTRA_METADATA_NAME, obj, slot=name)


def classifications(c: Checker, obj: RimObject, scheme: str) -> list[RimClassification]:
    return [cl for cl in c.objects.all_classifications_of(obj) if cl.scheme == scheme]


def check_codes(c: Checker, obj: RimObject, specs: Iterable[CodeSpec]) -> None:
    for spec in specs:
        found = classifications(c, obj, spec.scheme)
        if not found and spec.missing is not None:
            c.report(spec.missing, obj)
        if spec.single and len(found) > 1:
            c.report(Rule.CODE_TOO_MANY, obj, count=len(found), attribute=spec.attribute)
        for classification in found:
            check_code(c, obj, classification, spec.attribute)


def check_code(c: Checker, obj: RimObject, code: RimClassification, attribute: str) -> None:
    if not (code.node_representation or "").strip():
        reason = "has no nodeRepresentation (the code itself)"
        c.report(Rule.CODE_MALFORMED, obj, attribute=attribute, id=code.id, reason=reason)
        return
    schemes = [value for s in code.slots if s.name == v.SLOT_CODING_SCHEME for value in s.values]
    if len(schemes) != 1 or not schemes[0].strip():
        reason = f"needs one codingScheme slot value, the code system; it has {len(schemes)}"
        c.report(Rule.CODE_MALFORMED, obj, attribute=attribute, id=code.id, reason=reason)
    if not text_of(code.name).strip():
        c.report(
            Rule.CODE_DISPLAY_NAME_MISSING, obj, attribute=attribute, code=code.node_representation
        )


def coding_scheme(code: RimClassification) -> str:
    return next(
        (s.values[0] for s in code.slots if s.name == v.SLOT_CODING_SCHEME and s.values), ""
    )


def check_external_identifiers(c: Checker, obj: RimObject, specs: Iterable[IdentifierSpec]) -> None:
    for spec in specs:
        found = obj.external_identifiers_by_scheme(spec.scheme)
        if not found:
            c.report(spec.missing, obj)
        elif len(found) > 1:
            c.report(
                Rule.EXTERNAL_IDENTIFIER_DUPLICATE, obj, count=len(found), attribute=spec.attribute
            )
        check_values(c, obj, spec.attribute, (e.value for e in found), spec.checks)


def external_identifier(obj: RimObject, scheme: str) -> str | None:
    found = obj.external_identifiers_by_scheme(scheme)
    return found[0].value if found else None
