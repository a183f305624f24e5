"""The NIST testkit's vocabulary as frozen values: a test, its sections, their steps and checks.

One `TestDefinition` per test folder (`index.idx` gives the section order), one `TestPlan` per
section's `testplan.xml`. The names follow the toolkit's elements (NIST `test-engine`); the guide's
§1 says what each means to a harness.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from schemas.errors import ResponseStatus


class TransactionKind(StrEnum):
    """The transaction element of a step, named as in testplan.xml."""

    REGISTER = "RegisterTransaction"  # ITI-42
    PROVIDE_AND_REGISTER = "ProvideAndRegisterTransaction"  # ITI-41
    STORED_QUERY = "StoredQueryTransaction"  # ITI-18
    RETRIEVE = "RetrieveTransaction"  # ITI-43
    METADATA_UPDATE = "MuTransaction"  # ITI-57
    PATIENT_IDENTITY_FEED = "PatientIdentityFeedTransaction"
    NULL = "NullTransaction"  # only assertions over earlier outputs
    CROSS_GATEWAY_QUERY = "XCQTransaction"  # ITI-38, XCA only (_utilities)
    CROSS_GATEWAY_RETRIEVE = "XCRTransaction"  # ITI-39, XCA only
    INITIATING_GATEWAY_QUERY = "IGQTransaction"  # ITI-18 to an initiating gateway
    INITIATING_GATEWAY_RETRIEVE = "IGRTransaction"  # ITI-43 to an initiating gateway


class AssignedSection(StrEnum):
    """What a `UseId` takes from the step it names."""

    UUIDS = "AssignedUuids"  # symbolic id → urn:uuid
    UNIQUE_IDS = "AssignedUids"  # symbolic id → uniqueId
    PATIENT_ID = "AssignedPatientId"  # symbolic id → patient id


class ContentCheck(StrEnum):
    """An `ExpectedContents` check (NIST `Validator.run_test_assertion`; guide §1.3)."""

    DOCUMENTS = "Documents"
    FOLDERS = "Folders"
    SUBMISSION_SETS = "SubmissionSets"
    ASSOCIATIONS = "Associations"
    OBJECT_REFS = "ObjectRefs"
    NONE = "None"
    SS_WITH_ONE_DOC = "SSwithOneDoc"
    SS_WITH_TWO_DOC = "SSwithTwoDoc"
    SS_WITH_ONE_FOL = "SSwithOneFol"
    SS_WITH_ONE_DOC_ONE_FOL = "SSwithOneDocOneFol"
    SS_WITH_TWO_DOC_ONE_FOL = "SSwithTwoDocOneFol"
    SS_WITH_TWO_DOC_ONE_FOL_ONE_DOC_IN_FOL = "SSwithTwoDocOneFolOneDocInFol"
    DOC_APPROVED = "DocApp"
    DOC_DEPRECATED = "DocDep"
    ONE_DOC_APPROVED = "OneDocApp"
    ONE_DOC_DEPRECATED = "OneDocDep"
    FOLDER_APPROVED = "FolApp"
    FOLDER_DEPRECATED = "FolDep"
    SS_APPROVED = "SSApproved"
    HAS_RPLC = "HasRPLC"
    HAS_XFRM_RPLC = "HasXFRM_RPLC"
    HAS_APND = "HasAPND"
    DOC_RPLC_DOC = "DocRplcDoc"
    NO_SUBMISSION_SET = "NoSubmissionSet"
    NO_DOCUMENT = "NoDocument"


@dataclass(frozen=True, slots=True)
class ExpectedContent:
    check: ContentCheck
    count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UseId:
    """Substitute `symbol` with what step `step` (of `testdir`, else this plan) gave to `id`."""

    id: str
    symbol: str
    section: AssignedSection
    step: str
    testdir: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UseReport:
    """Substitute `use_as` with report `report_name` of `step` in `section` (of test `test`)."""

    report_name: str
    use_as: str
    section: str  # a section name of the test, or THIS
    step: str
    test: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Record `xpath` evaluated over the step's input metadata or its result as `name`."""

    name: str
    section: str  # InputMetadata or Result
    xpath: str


@dataclass(frozen=True, slots=True)
class DataRef:
    file: str
    as_: str


@dataclass(frozen=True, slots=True)
class Assert:
    id: str
    xpath: str


@dataclass(frozen=True, slots=True)
class Assertions:
    data_refs: tuple[DataRef, ...]
    asserts: tuple[Assert, ...]


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """A `<Document id=…>` attachment of a PnR step."""

    id: str
    path: Path


@dataclass(frozen=True, slots=True)
class ReferenceDocument:
    """Retrieved bytes must equal this file (`path` as written; the toolkit resolves it)."""

    uid: str
    path: str


@dataclass(frozen=True, slots=True)
class ReferenceMetadata:
    testdir: str
    step: str


@dataclass(frozen=True, slots=True)
class IgnoredElement:
    """An element the replay does not act on, kept with its text so nothing is silently lost."""

    name: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction:
    """A step's transaction element and everything it holds."""

    kind: TransactionKind
    xdsb: bool = False
    metadata_file: Path | None = None
    documents: tuple[DocumentFile, ...] = ()
    use_ids: tuple[UseId, ...] = ()
    use_reports: tuple[UseReport, ...] = ()
    reports: tuple[Report, ...] = ()
    expected_contents: tuple[ExpectedContent, ...] | None = None
    assertions: Assertions | None = None
    assign_uuids: bool = False
    assign_unique_ids: bool = True
    keep_unique_ids: frozenset[str] = frozenset()
    no_patient_id: bool = False
    clean_params: bool = False
    home_community_id: str | None = None
    wait_before_ms: int | None = None
    create_new_patient_id: bool = False
    no_metadata: bool = False
    reference_documents: tuple[ReferenceDocument, ...] = ()
    reference_metadata: tuple[ReferenceMetadata, ...] = ()
    ignored: tuple[IgnoredElement, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A `<Rule>`: free text, or a transaction / stored query / assertion triple."""

    text: str = ""
    transaction: str | None = None
    stored_query: str | None = None
    assertion: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TestStep:
    __test__ = False  # a NIST test step, not a pytest test class

    id: str
    transaction: Transaction | None
    expected_statuses: tuple[ResponseStatus, ...] = ()
    expected_error_message: str | None = None
    expected_error_code: str | None = None
    alt_patient_id: bool = False
    new_patient_id: bool = False
    goals: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    @property
    def expects_failure(self) -> bool:
        return self.expected_statuses == (ResponseStatus.FAILURE,)


@dataclass(frozen=True, slots=True, kw_only=True)
class TestPlan:
    """One `testplan.xml`."""

    __test__ = False

    path: Path
    test: str
    steps: tuple[TestStep, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def directory(self) -> Path:
        return self.path.parent

    def step(self, step_id: str) -> TestStep:
        return next(s for s in self.steps if s.id == step_id)


@dataclass(frozen=True, slots=True)
class Section:
    """A section of a test; `name` is "" for a test whose plan sits in the test folder itself."""

    name: str
    plan: TestPlan


@dataclass(frozen=True, slots=True, kw_only=True)
class TestDefinition:
    """A test folder: its sections in run order, and any testplan.xml the index does not list."""

    __test__ = False

    path: Path
    sections: tuple[Section, ...]
    unlisted: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name

    def section(self, name: str) -> Section:
        return next(s for s in self.sections if s.name == name)
