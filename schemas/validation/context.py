"""The state of one validation run: the objects sorted by XDS kind, and the findings so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind, RimObject, RimObjectList
from schemas.errors import Severity
from schemas.validation.profiles import ValidationProfile
from schemas.validation.report import Finding
from schemas.validation.rules import Level, Rule, Transaction


class ObjectKind(StrEnum):
    """What an ebRIM object is in XDS terms (a RegistryPackage is a SubmissionSet or a Folder)."""

    DOCUMENT_ENTRY = "DocumentEntry"
    SUBMISSION_SET = "SubmissionSet"
    FOLDER = "Folder"
    ASSOCIATION = "Association"
    REGISTRY_PACKAGE = "RegistryPackage"


@dataclass(slots=True)
class Checker:
    """Collects findings for one RegistryObjectList under one transaction and profile."""

    objects: RimObjectList
    transaction: Transaction
    profile: ValidationProfile
    findings: list[Finding] = field(default_factory=list)
    _kinds: dict[int, ObjectKind] = field(default_factory=dict)
    _by_id: dict[str, RimObject] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for obj in self.objects.objects:
            self._kinds[id(obj)] = self._classify(obj)
            if obj.id:
                self._by_id.setdefault(obj.id, obj)

    def _classify(self, obj: RimObject) -> ObjectKind:
        if obj.kind is RimKind.EXTRINSIC_OBJECT:
            return ObjectKind.DOCUMENT_ENTRY
        if obj.kind is RimKind.ASSOCIATION:
            return ObjectKind.ASSOCIATION
        is_submission_set = self.objects.is_classified_as(obj, v.SS_CLASSIFICATION_NODE)
        is_folder = self.objects.is_classified_as(obj, v.FOLDER_CLASSIFICATION_NODE)
        if is_submission_set != is_folder:
            return ObjectKind.SUBMISSION_SET if is_submission_set else ObjectKind.FOLDER
        return ObjectKind.REGISTRY_PACKAGE

    # ------------------------------------------------------------------ the objects by kind
    def kind_of(self, obj: RimObject) -> ObjectKind:
        return self._kinds[id(obj)]

    def of_kind(self, kind: ObjectKind) -> tuple[RimObject, ...]:
        return tuple(o for o in self.objects.objects if self._kinds[id(o)] is kind)

    @property
    def document_entries(self) -> tuple[RimObject, ...]:
        return self.of_kind(ObjectKind.DOCUMENT_ENTRY)

    @property
    def submission_sets(self) -> tuple[RimObject, ...]:
        return self.of_kind(ObjectKind.SUBMISSION_SET)

    @property
    def folders(self) -> tuple[RimObject, ...]:
        return self.of_kind(ObjectKind.FOLDER)

    @property
    def associations(self) -> tuple[RimObject, ...]:
        return self.of_kind(ObjectKind.ASSOCIATION)

    def by_id(self, object_id: str) -> RimObject | None:
        """The object in this message with that id (the first, should ids repeat)."""
        return self._by_id.get(object_id)

    def kind_of_id(self, object_id: str) -> ObjectKind | None:
        obj = self.by_id(object_id)
        return None if obj is None else self.kind_of(obj)

    def label(self, obj: RimObject) -> str:
        """How messages name an object: its XDS kind and id."""
        kind = self.kind_of(obj)
        return f"{kind} {obj.id!r}" if obj.id else f"{kind} without an id"

    # ------------------------------------------------------------------ findings
    def report(self, rule: Rule, subject: RimObject | None, /, **fields: object) -> None:
        """Record a broken rule about `subject` unless the transaction or profile leaves it out.

        `fields` fill the rule's template; `obj` defaults to the subject's label.
        """
        if self.transaction not in rule.transactions:
            return
        level = self.profile.level(rule)
        if level is Level.OFF:
            return
        if subject is not None:
            fields.setdefault("obj", self.label(subject))
        self.findings.append(
            Finding(
                rule=rule,
                code=rule.code,
                message=rule.message(**fields),
                location=(subject.id or None) if subject is not None else None,
                severity=Severity.ERROR if level is Level.ERROR else Severity.WARNING,
            )
        )
