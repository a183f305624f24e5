"""What the toolkit does to a step's metadata before sending it, and the record of what it assigned.

For a Register, PnR or MU step (guide §1.2), in this order:
1. substitute `$placeholders$` (from UseId / UseReport) in every attribute and text;
2. translate ebRS 2.1 to 3.0 (`translate.translate_to_v3`);
3. unless `<NoPatientId/>`, put the test's patient id into every patientId ExternalIdentifier of
   DocumentEntries, SubmissionSets and Folders (`sourcePatientId` stays the source's own id);
4. unless `<NoAssignUids/>` (for all, or for one `id`), give each DocumentEntry, SubmissionSet and
   Folder a fresh uniqueId (a `2.25.` UUID-derived OID), and, when the replay has one, put its own
   sourceId into the SubmissionSet (the toolkit's AssignedSourceId);
5. with `<AssignUuids/>`, replace every symbolic id by a `urn:uuid:` and follow every reference
   (`sourceObject`, `targetObject`, `classifiedObject`, `registryObject`, `lid`).
`Assignments` keeps symbol → uuid, symbol → uniqueId and symbol → patient id, which is what later
steps read with `UseId section="AssignedUuids|AssignedUids|AssignedPatientId"`, and the
`<symbol>_uid` / `<symbol>_uuid` reports a `UseReport` can name (NIST `BasicTransaction`).
For stored queries the toolkit only substitutes placeholders, and with `<CleanParams/>` drops the
values whose placeholders nobody filled (`clean_params`).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

from schemas import vocabulary as v
from tests.conformance.nist.testplan import AssignedSection, Transaction
from tests.conformance.nist.translate import attributes, translate_to_v3

PLACEHOLDER = re.compile(r"\$[A-Za-z0-9_]+\$")
_PATIENT_ID_SCHEMES = frozenset({v.DE_PATIENT_ID, v.SS_PATIENT_ID, v.FOLDER_PATIENT_ID})
_UNIQUE_ID_SCHEMES = frozenset({v.DE_UNIQUE_ID, v.SS_UNIQUE_ID, v.FOLDER_UNIQUE_ID})
_REFERENCES = ("sourceObject", "targetObject", "classifiedObject", "registryObject", "lid")
_STABLE_NAMESPACE = uuid.UUID("9d1c2b64-3f0e-5a7c-8e41-6b2f7d0c5a93")
_UUID_OID_ROOT = "2.25"  # ITU-T X.667: an OID made from a UUID


def _elements(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(tag=etree.Element))


def text_filler(values: Mapping[str, str]) -> Callable[[str], str]:
    """A function that replaces every key of `values` in a text, the longest keys first (the
    toolkit's Linkage: `$uid$` and `$uid1$` are different placeholders)."""
    if not values:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(key) for key in sorted(values, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda match: values[match.group()], text)


def substitute_placeholders(root: etree._Element, values: Mapping[str, str]) -> etree._Element:
    """A copy of `root` with every `values` key replaced in attribute values and texts."""
    fill = text_filler(values)
    result = copy.deepcopy(root)
    for element in _elements(result):
        for name, value in attributes(element):
            element.set(name, fill(value))
        if element.text:
            element.text = fill(element.text)
    return result


def placeholders_in(root: etree._Element) -> set[str]:
    """The `$name$` placeholders still present in attributes or texts."""
    found: set[str] = set()
    for element in _elements(root):
        for text in (*(value for _, value in attributes(element)), element.text or ""):
            found.update(PLACEHOLDER.findall(text))
    return found


def clean_params(query: etree._Element) -> etree._Element:
    """A copy of an AdhocQueryRequest without the Values (and emptied Slots) still holding
    unfilled placeholders: the toolkit's `<CleanParams/>`."""
    result = copy.deepcopy(query)
    for value in list(result.iter(f"{{{v.NS_RIM}}}Value")):
        if PLACEHOLDER.search(value.text or ""):
            value_list = value.getparent()
            if value_list is not None:
                value_list.remove(value)
    for slot in list(result.iter(f"{{{v.NS_RIM}}}Slot")):
        parent = slot.getparent()
        if parent is not None and slot.find(f".//{{{v.NS_RIM}}}Value") is None:
            parent.remove(slot)
    return result


class IdAllocator:
    """Fresh random ids, or ids derived from a run name and a key (same run, same ids)."""

    def __init__(self, run: str | None = None) -> None:
        self._run = run

    def _uuid(self, key: str) -> uuid.UUID:
        if self._run is None:
            return uuid.uuid4()
        return uuid.uuid5(_STABLE_NAMESPACE, f"{self._run}/{key}")

    def uuid(self, key: str) -> str:
        return f"{v.UUID_PREFIX}{self._uuid(key)}"

    def oid(self, key: str) -> str:
        return f"{_UUID_OID_ROOT}.{self._uuid(key).int}"

    def hex(self, key: str) -> str:
        """32 hexadecimal digits (a patient id number)."""
        return self._uuid(key).hex


@dataclass(frozen=True, slots=True)
class Assignments:
    """What a step assigned, by the symbolic id (`Document01`, `SubmissionSet01`, …)."""

    uuids: Mapping[str, str] = field(default_factory=dict)
    unique_ids: Mapping[str, str] = field(default_factory=dict)
    patient_ids: Mapping[str, str] = field(default_factory=dict)

    def reports(self) -> dict[str, str]:
        """The reports the toolkit files after a submission: `<symbol>_uid`, `<symbol>_uuid`."""
        return {f"{symbol}_uid": value for symbol, value in self.unique_ids.items()} | {
            f"{symbol}_uuid": value for symbol, value in self.uuids.items()
        }

    def value(self, section: AssignedSection, symbolic_id: str) -> str:
        """The value a `UseId` with this section and id stands for (KeyError if none)."""
        table = {
            AssignedSection.UUIDS: self.uuids,
            AssignedSection.UNIQUE_IDS: self.unique_ids,
            AssignedSection.PATIENT_ID: self.patient_ids,
        }[section]
        return table[symbolic_id]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionOptions:
    """How to prepare one submission; `for_step` reads it off a testplan transaction."""

    placeholders: Mapping[str, str] = field(default_factory=dict)
    patient_id: str | None = None
    assign_uuids: bool = False
    assign_unique_ids: bool = True
    keep_unique_ids: frozenset[str] = frozenset()
    source_id: str | None = None
    scope: str = ""

    @classmethod
    def for_step(
        cls,
        transaction: Transaction,
        *,
        placeholders: Mapping[str, str],
        patient_id: str,
        scope: str,
        source_id: str | None = None,
    ) -> SubmissionOptions:
        """`patient_id` is the test's patient (its alternate one for an AltPatientId step)."""
        return cls(
            placeholders=MappingProxyType(dict(placeholders)),
            patient_id=None if transaction.no_patient_id else patient_id,
            assign_uuids=transaction.assign_uuids,
            assign_unique_ids=transaction.assign_unique_ids,
            keep_unique_ids=transaction.keep_unique_ids,
            source_id=source_id,
            scope=scope,
        )


@dataclass(frozen=True, slots=True)
class PreparedSubmission:
    request: etree._Element  # an ebRS 3.0 lcm:SubmitObjectsRequest
    assignments: Assignments


def _identifiers(request: etree._Element, schemes: frozenset[str]) -> list[etree._Element]:
    return [
        e
        for e in request.iter(f"{{{v.NS_RIM}}}ExternalIdentifier")
        if e.get("identificationScheme") in schemes
    ]


def _patient_ids(request: etree._Element, patient_id: str | None) -> dict[str, str]:
    assigned = {}
    for identifier in _identifiers(request, _PATIENT_ID_SCHEMES):
        if patient_id is not None:
            identifier.set("value", patient_id)
        assigned[identifier.get("registryObject", "")] = identifier.get("value", "")
    return assigned


def _unique_ids(
    request: etree._Element, options: SubmissionOptions, ids: IdAllocator
) -> dict[str, str]:
    assigned = {}
    for identifier in _identifiers(request, _UNIQUE_ID_SCHEMES):
        owner = identifier.get("registryObject", "")
        if options.assign_unique_ids and owner not in options.keep_unique_ids:
            identifier.set("value", ids.oid(f"{options.scope}/{owner}/uniqueId"))
        assigned[owner] = identifier.get("value", "")
    return assigned


def _uuids(request: etree._Element, scope: str, ids: IdAllocator) -> dict[str, str]:
    assigned = {
        old: ids.uuid(f"{scope}/{old}")
        for e in _elements(request)
        if (old := e.get("id")) and not old.startswith(v.UUID_PREFIX)
    }
    for element in _elements(request):
        for name in ("id", *_REFERENCES):
            value = element.get(name)
            if value in assigned:
                element.set(name, assigned[value])
    return assigned


def prepare_submission(
    metadata: etree._Element, options: SubmissionOptions, ids: IdAllocator
) -> PreparedSubmission:
    """The ebRS 3.0 request to send for a Register/PnR/MU metadata file, and what was assigned."""
    request = translate_to_v3(substitute_placeholders(metadata, options.placeholders))
    patient_ids = _patient_ids(request, options.patient_id)
    if options.source_id is not None:
        for identifier in _identifiers(request, frozenset({v.SS_SOURCE_ID})):
            identifier.set("value", options.source_id)
    unique_ids = _unique_ids(request, options, ids)
    uuids = _uuids(request, options.scope, ids) if options.assign_uuids else {}
    return PreparedSubmission(
        request,
        Assignments(
            uuids=MappingProxyType(uuids),
            unique_ids=MappingProxyType(unique_ids),
            patient_ids=MappingProxyType(patient_ids),
        ),
    )
