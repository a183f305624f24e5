"""The validation rules: one `Rule` member per check, with its XDS error code and message template.

Every rule also says how severe it is in each built-in profile (ihe-strict, norway, lenient) and
which transactions it applies to, so the rule catalogue in docs/validation.md is generated from
this module alone. Sections refer to the conformance guide (§8) or the Norwegian profile (NO).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from schemas.errors import XdsErrorCode
from schemas.validation.messages import TEMPLATES


class Transaction(StrEnum):
    """What the validated RegistryObjectList is part of (IPF's ValidationProfile interaction)."""

    PROVIDE_AND_REGISTER = "ITI-41"
    REGISTER = "ITI-42"
    UPDATE = "ITI-57"
    QUERY_RESPONSE = "ITI-18"

    @property
    def is_submission(self) -> bool:
        return self is not Transaction.QUERY_RESPONSE


class Level(StrEnum):
    """How a profile treats a rule: reject the submission, warn, or not check at all."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


class ProfileName(StrEnum):
    """The built-in profiles, in the order `RuleSpec.levels` lists them."""

    IHE_STRICT = "ihe-strict"
    NORWAY = "norway"
    LENIENT = "lenient"


ERROR, WARNING, OFF = Level.ERROR, Level.WARNING, Level.OFF
ALWAYS = (ERROR, ERROR, ERROR)
RELAXED = (ERROR, ERROR, WARNING)  # a lenient deployment accepts it with a warning
NORWEGIAN = (OFF, ERROR, OFF)
NORWEGIAN_ADVICE = (OFF, WARNING, OFF)
OPT_IN = (OFF, OFF, OFF)  # off everywhere until a deployment turns it on

ALL = frozenset(Transaction)
SUBMISSIONS = frozenset(
    {Transaction.PROVIDE_AND_REGISTER, Transaction.REGISTER, Transaction.UPDATE}
)
NEW_SUBMISSIONS = frozenset({Transaction.PROVIDE_AND_REGISTER, Transaction.REGISTER})
UPDATES = frozenset({Transaction.UPDATE})
# Registered entries carry what the repository adds: repositoryUniqueId, hash and size.
REGISTERED = frozenset({Transaction.REGISTER, Transaction.UPDATE, Transaction.QUERY_RESPONSE})

RM = XdsErrorCode.REGISTRY_METADATA_ERROR


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """What a rule is: its id, XDS error code, guide section, levels per profile, template."""

    id: str
    code: XdsErrorCode
    section: str
    levels: tuple[Level, Level, Level]
    template: str
    transactions: frozenset[Transaction]


def _rule(
    rule_id: str,
    code: XdsErrorCode,
    section: str,
    levels: tuple[Level, Level, Level],
    transactions: frozenset[Transaction] = ALL,
) -> RuleSpec:
    return RuleSpec(rule_id, code, section, levels, TEMPLATES[rule_id], transactions)


class Rule(Enum):
    """Every check the validator makes; its spec carries code, template, levels, transactions."""

    # ---------------------------------------------------------------- the message as a whole
    SUBMISSION_SET_COUNT = _rule("submission.submission-set-count", RM, "8.2", ALWAYS, SUBMISSIONS)
    UNSUPPORTED_OBJECT = _rule("submission.unsupported-object", RM, "8", ALWAYS)
    DUPLICATE_ENTRY_UUID = _rule("submission.duplicate-entry-uuid", RM, "8.5", ALWAYS, SUBMISSIONS)
    DUPLICATE_UNIQUE_ID = _rule(
        "submission.duplicate-unique-id",
        XdsErrorCode.REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE,
        "8.5",
        ALWAYS,
        SUBMISSIONS,
    )
    PATIENT_ID_MISMATCH = _rule(
        "submission.patient-id-mismatch",
        XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH,
        "8.5",
        ALWAYS,
        SUBMISSIONS,
    )
    # ---------------------------------------------------------------- every registry object
    ENTRY_UUID_MISSING = _rule("object.entry-uuid.missing", RM, "5", ALWAYS)
    ENTRY_UUID_MALFORMED = _rule("object.entry-uuid.malformed", RM, "8.5", ALWAYS)
    LID_MISMATCH = _rule("object.lid-mismatch", RM, "8.5", RELAXED, NEW_SUBMISSIONS)
    AVAILABILITY_STATUS = _rule("object.status-invalid", RM, "8.5", RELAXED)
    REFERENCE_MISMATCH = _rule("object.reference-mismatch", RM, "8", RELAXED)
    SLOT_DUPLICATE = _rule("slot.duplicate", RM, "8", ALWAYS)
    SLOT_TOO_MANY_VALUES = _rule("slot.too-many-values", RM, "8.1", ALWAYS)
    EXTRA_METADATA_NAME = _rule(
        "slot.extra-metadata-name", XdsErrorCode.REGISTRY_ERROR, "8.5", RELAXED
    )
    EXTERNAL_IDENTIFIER_DUPLICATE = _rule("external-identifier.duplicate", RM, "8", ALWAYS)
    # ---------------------------------------------------------------- value formats
    TIME_MALFORMED = _rule("time.malformed", RM, "8.1", ALWAYS)
    OID_MALFORMED = _rule("oid.malformed", RM, "8", RELAXED)
    CX_MALFORMED = _rule("cx.malformed", RM, "8.1", ALWAYS)
    CX_EXTRA_COMPONENTS = _rule("cx.extra-components", RM, "8.1", RELAXED)
    XCN_MALFORMED = _rule("xcn.malformed", RM, "8.1", RELAXED)
    XON_MALFORMED = _rule("xon.malformed", RM, "8.1", RELAXED)
    XTN_MALFORMED = _rule("xtn.malformed", RM, "8.1", RELAXED)
    CODE_MALFORMED = _rule("code.malformed", RM, "8.1", ALWAYS)
    CODE_DISPLAY_NAME_MISSING = _rule("code.display-name.missing", RM, "8.1", RELAXED)
    CODE_TOO_MANY = _rule("code.too-many", RM, "8.1", ALWAYS)
    # ---------------------------------------------------------------- DocumentEntry (8.1)
    DE_OBJECT_TYPE = _rule("de.object-type", RM, "8.1", ALWAYS)
    DE_MIME_TYPE_MISSING = _rule("de.mime-type.missing", RM, "8.1", ALWAYS)
    DE_MIME_TYPE_MALFORMED = _rule("de.mime-type.malformed", RM, "8.1", RELAXED)
    DE_CREATION_TIME_MISSING = _rule("de.creation-time.missing", RM, "8.1", ALWAYS)
    DE_LANGUAGE_CODE_MISSING = _rule("de.language-code.missing", RM, "8.1", ALWAYS)
    DE_LANGUAGE_CODE_MALFORMED = _rule("de.language-code.malformed", RM, "8.1", RELAXED)
    DE_SOURCE_PATIENT_ID_MISSING = _rule("de.source-patient-id.missing", RM, "8.1", ALWAYS)
    DE_SOURCE_PATIENT_INFO_MALFORMED = _rule("de.source-patient-info.malformed", RM, "8.1", RELAXED)
    DE_REPOSITORY_UNIQUE_ID_MISSING = _rule(
        "de.repository-unique-id.missing", RM, "8.1", ALWAYS, REGISTERED
    )
    DE_HASH_MISSING = _rule("de.hash.missing", RM, "8.1", ALWAYS, REGISTERED)
    DE_SIZE_MISSING = _rule("de.size.missing", RM, "8.1", ALWAYS, REGISTERED)
    DE_HASH_MALFORMED = _rule("de.hash.malformed", RM, "8.1", ALWAYS)
    DE_SIZE_MALFORMED = _rule("de.size.malformed", RM, "8.1", ALWAYS)
    DE_ON_DEMAND_FIXED_CONTENT = _rule("de.on-demand.hash-or-size", RM, "8.1", ALWAYS)
    DE_SERVICE_TIME_ORDER = _rule("de.service-time-order", RM, "8.1", ALWAYS)
    DE_TITLE_TOO_LONG = _rule("de.title.too-long", RM, "8.1", RELAXED)
    DE_UNIQUE_ID_TOO_LONG = _rule("de.unique-id.too-long", RM, "8.1", ALWAYS)
    DE_DOCUMENT_AVAILABILITY = _rule("de.document-availability.invalid", RM, "8.1", RELAXED)
    DE_REFERENCE_ID_MALFORMED = _rule("de.reference-id.malformed", RM, "8.1", RELAXED)
    DE_CLASS_CODE_MISSING = _rule("de.class-code.missing", RM, "8.1", ALWAYS)
    DE_TYPE_CODE_MISSING = _rule("de.type-code.missing", RM, "8.1", ALWAYS)
    DE_FORMAT_CODE_MISSING = _rule("de.format-code.missing", RM, "8.1", ALWAYS)
    DE_HEALTHCARE_FACILITY_TYPE_CODE_MISSING = _rule(
        "de.healthcare-facility-type-code.missing", RM, "8.1", ALWAYS
    )
    DE_PRACTICE_SETTING_CODE_MISSING = _rule("de.practice-setting-code.missing", RM, "8.1", ALWAYS)
    DE_CONFIDENTIALITY_CODE_MISSING = _rule("de.confidentiality-code.missing", RM, "8.1", ALWAYS)
    DE_PATIENT_ID_MISSING = _rule("de.patient-id.missing", RM, "8.1", ALWAYS)
    DE_UNIQUE_ID_MISSING = _rule("de.unique-id.missing", RM, "8.1", ALWAYS)
    # ---------------------------------------------------------------- authors
    AUTHOR_EMPTY = _rule("author.empty", RM, "8.1", RELAXED)
    AUTHOR_UNKNOWN_SLOT = _rule("author.unknown-slot", RM, "8.1", RELAXED)
    # ---------------------------------------------------------------- SubmissionSet (8.2)
    SS_SUBMISSION_TIME_MISSING = _rule("ss.submission-time.missing", RM, "8.2", ALWAYS)
    SS_CONTENT_TYPE_CODE_MISSING = _rule("ss.content-type-code.missing", RM, "8.2", RELAXED)
    SS_PATIENT_ID_MISSING = _rule("ss.patient-id.missing", RM, "8.2", ALWAYS)
    SS_UNIQUE_ID_MISSING = _rule("ss.unique-id.missing", RM, "8.2", ALWAYS)
    SS_SOURCE_ID_MISSING = _rule("ss.source-id.missing", RM, "8.2", ALWAYS)
    # ---------------------------------------------------------------- Folder (8.3)
    FOLDER_NAME_MISSING = _rule("folder.name.missing", RM, "8.3", RELAXED)
    FOLDER_CODE_LIST_MISSING = _rule("folder.code-list.missing", RM, "8.3", RELAXED)
    FOLDER_PATIENT_ID_MISSING = _rule("folder.patient-id.missing", RM, "8.3", ALWAYS)
    FOLDER_UNIQUE_ID_MISSING = _rule("folder.unique-id.missing", RM, "8.3", ALWAYS)
    # ---------------------------------------------------------------- Associations (8.4)
    ASSOCIATION_TYPE_UNKNOWN = _rule("association.type-unknown", RM, "8.4", ALWAYS)
    ASSOCIATION_ENDPOINT_MISSING = _rule("association.endpoint-missing", RM, "8.4", ALWAYS)
    ASSOCIATION_UNRESOLVED = _rule("association.unresolved", RM, "8.4", ALWAYS, SUBMISSIONS)
    ASSOCIATION_SOURCE = _rule("association.source-invalid", RM, "8.4", ALWAYS, SUBMISSIONS)
    ASSOCIATION_SUBMISSION_SET_STATUS = _rule(
        "association.submission-set-status", RM, "8.4", ALWAYS
    )
    ASSOCIATION_ORIGINAL_NOT_SUBMITTED = _rule(
        "association.original-not-submitted", RM, "8.4", ALWAYS, SUBMISSIONS
    )
    ASSOCIATION_DOCUMENTATION_NOT_ALLOWED = _rule(
        "association.documentation-not-allowed", RM, "8.4", ALWAYS
    )
    ASSOCIATION_UPDATE_ONLY = _rule("association.update-only", RM, "8.4", ALWAYS, NEW_SUBMISSIONS)
    ASSOCIATION_STATUS_CHANGE = _rule("association.status-change", RM, "8.4", ALWAYS)
    # ---------------------------------------------------------------- metadata update (ITI-57)
    UPDATE_LID_MISSING = _rule(
        "update.lid-missing", XdsErrorCode.METADATA_UPDATE_ERROR, "2", ALWAYS, UPDATES
    )
    UPDATE_PREVIOUS_VERSION = _rule(
        "update.previous-version", XdsErrorCode.METADATA_UPDATE_ERROR, "2", ALWAYS, UPDATES
    )
    UPDATE_DUPLICATE_LID = _rule(
        "update.duplicate-lid", XdsErrorCode.METADATA_UPDATE_ERROR, "8.5", ALWAYS, UPDATES
    )
    # ---------------------------------------------------------------- the Norwegian profile
    NORWAY_PATIENT_ID = _rule("norway.patient-id", RM, "NO", NORWEGIAN)
    # Other assigning authorities are legitimate when fed (`dokdeling patients add`); a
    # national-only deployment turns this on.
    NORWAY_PATIENT_ID_AUTHORITY = _rule("norway.patient-id-authority", RM, "NO", OPT_IN)
    NORWAY_SYNTHETIC_PATIENT_ID = _rule("norway.synthetic-patient-id", RM, "NO", OPT_IN)
    NORWAY_CLASS_CODE = _rule("norway.class-code", RM, "NO", NORWEGIAN)
    NORWAY_TYPE_CODE = _rule("norway.type-code", RM, "NO", NORWEGIAN)
    NORWAY_CONFIDENTIALITY_CODE = _rule("norway.confidentiality-code", RM, "NO", NORWEGIAN)
    # A code in a scheme that is not the Norwegian one cannot be checked (nor the allow-list): a
    # warning by default, so IHE test data still registers; national-only deployments refuse it.
    NORWAY_FOREIGN_CODE_SYSTEM = _rule("norway.foreign-code-system", RM, "NO", NORWEGIAN_ADVICE)
    NORWAY_DOCUMENT_TYPE = _rule(
        "norway.document-type-not-allowed", RM, "NO", NORWEGIAN, SUBMISSIONS
    )
    NORWAY_HPR_NUMBER = _rule("norway.hpr-number", RM, "NO", NORWEGIAN_ADVICE)
    NORWAY_ORGANISATION_NUMBER = _rule("norway.organisation-number", RM, "NO", NORWEGIAN_ADVICE)

    @property
    def spec(self) -> RuleSpec:
        spec: RuleSpec = self.value
        return spec

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def code(self) -> XdsErrorCode:
        return self.spec.code

    @property
    def transactions(self) -> frozenset[Transaction]:
        return self.spec.transactions

    def default_level(self, profile: ProfileName) -> Level:
        return self.spec.levels[list(ProfileName).index(profile)]

    def message(self, **fields: object) -> str:
        return self.spec.template.format(**fields)

    @classmethod
    def by_id(cls, rule_id: str) -> Rule:
        rule = _BY_ID.get(rule_id.strip())
        if rule is None:
            raise ValueError(f"unknown validation rule {rule_id!r}; see docs/validation.md")
        return rule


_BY_ID = {rule.id: rule for rule in Rule}
