"""Read a NIST test folder (`index.idx` and each section's `testplan.xml`) into `testplan` values.

The reader is strict: an element it does not know raises `TestkitError`, so nothing a testplan says
is silently dropped. The few elements a replay has no use for are listed in `IGNORED_ELEMENTS`, each
with the reason, and kept on the transaction as `IgnoredElement`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from lxml import etree

from schemas.errors import ResponseStatus
from schemas.xml import parse_xml
from tests.conformance.nist.testplan import (
    Assert,
    Assertions,
    AssignedSection,
    ContentCheck,
    DataRef,
    DocumentFile,
    ExpectedContent,
    IgnoredElement,
    ReferenceDocument,
    ReferenceMetadata,
    Report,
    Rule,
    Section,
    TestDefinition,
    TestPlan,
    TestStep,
    Transaction,
    TransactionKind,
    UseId,
    UseReport,
)

INDEX = "index.idx"
TESTPLAN = "testplan.xml"

IGNORED_ELEMENTS: Mapping[str, str] = MappingProxyType(
    {
        "InteractionSequence": "names the toolkit's UI sequence diagram for the step (15800); "
        "it changes nothing in the message sent or the checks made",
        "ParseMetadata": "tells the toolkit not to load the metadata into its own object model "
        "(MU-Simple); a replay never builds that model",
        "MetadataExL2MapKey": "a key into the toolkit's table of metadata examples (MU-Simple); "
        "it changes nothing in the message sent",
    }
)
"""Elements read but not acted on, with the reason; everything else unknown is an error."""

_STATUSES = {status.value.rsplit(":", 1)[-1]: status for status in ResponseStatus}


class TestkitError(ValueError):
    """A testplan.xml or test folder that the reader does not understand."""

    __test__ = False


def _children(element: etree._Element) -> Iterator[etree._Element]:
    return element.iterchildren(tag=etree.Element)  # elements only, no comments


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


E = TypeVar("E", bound=StrEnum)


def _member(enum: type[E], value: str, path: Path) -> E:
    try:
        return enum(value)
    except ValueError:
        raise TestkitError(f"{path}: {value!r} is not a known {enum.__name__}") from None


def _attribute(element: etree._Element, name: str, path: Path) -> str:
    value = element.get(name)
    if value is None:
        raise TestkitError(f"{path}: <{element.tag}> needs the attribute {name!r}")
    return value


Handler = Callable[[Transaction, etree._Element, Path], Transaction]


def _use_id(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    use_id = UseId(
        id=_attribute(e, "id", path),
        symbol=_attribute(e, "symbol", path),
        section=_member(AssignedSection, _attribute(e, "section", path), path),
        step=_attribute(e, "step", path),
        testdir=e.get("testdir"),
    )
    return replace(t, use_ids=(*t.use_ids, use_id))


def _use_report(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    use_report = UseReport(
        report_name=_attribute(e, "reportName", path),
        use_as=_attribute(e, "useAs", path),
        section=_attribute(e, "section", path),
        step=_attribute(e, "step", path),
        test=e.get("test"),
    )
    return replace(t, use_reports=(*t.use_reports, use_report))


def _report(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    name, section = _attribute(e, "name", path), _attribute(e, "section", path)
    return replace(t, reports=(*t.reports, Report(name=name, section=section, xpath=_text(e))))


def _expected_contents(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    checks = []
    for check in _children(e):
        count = check.get("count")
        kind = _member(ContentCheck, check.tag, path)
        checks.append(ExpectedContent(kind, None if count is None else int(count)))
    return replace(t, expected_contents=tuple(checks))


def _assertions(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    data_refs, asserts = [], []
    for child in _children(e):
        if child.tag == "DataRef":
            data_refs.append(
                DataRef(_attribute(child, "file", path), _attribute(child, "as", path))
            )
        elif child.tag == "Assert":
            asserts.append(Assert(_attribute(child, "id", path), _text(child)))
        else:
            raise TestkitError(f"{path}: unknown element <{child.tag}> in <Assertions>")
    return replace(t, assertions=Assertions(tuple(data_refs), tuple(asserts)))


def _no_assign_uids(t: Transaction, e: etree._Element, _path: Path) -> Transaction:
    kept = e.get("id")
    if kept is None:
        return replace(t, assign_unique_ids=False)
    return replace(t, keep_unique_ids=t.keep_unique_ids | {kept})


def _document(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    document = DocumentFile(_attribute(e, "id", path), _local_file(e, path))
    return replace(t, documents=(*t.documents, document))


def _reference_document(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    reference = ReferenceDocument(_attribute(e, "uid", path), _text(e))
    return replace(t, reference_documents=(*t.reference_documents, reference))


def _reference_metadata(t: Transaction, e: etree._Element, path: Path) -> Transaction:
    reference = ReferenceMetadata(_attribute(e, "testdir", path), _attribute(e, "step", path))
    return replace(t, reference_metadata=(*t.reference_metadata, reference))


def _local_file(e: etree._Element, path: Path) -> Path:
    return (path.parent / _text(e)).resolve()


def _flag(e: etree._Element, path: Path) -> bool:
    """A flag element; one with content (`<AssignUuids><Exclude …/>`) is not understood."""
    if len(e) or _text(e):
        raise TestkitError(f"{path}: <{e.tag}> with content is not supported")
    return True


_TRANSACTION_CHILDREN: Mapping[str, Handler] = MappingProxyType(
    {
        "XDSb": lambda t, e, p: replace(t, xdsb=_flag(e, p)),
        "AssignUuids": lambda t, e, p: replace(t, assign_uuids=_flag(e, p)),
        "NoPatientId": lambda t, e, p: replace(t, no_patient_id=_flag(e, p)),
        "CleanParams": lambda t, e, p: replace(t, clean_params=_flag(e, p)),
        "CreateNewPatientId": lambda t, e, p: replace(t, create_new_patient_id=_flag(e, p)),
        "NoMetadata": lambda t, e, p: replace(t, no_metadata=_flag(e, p)),
        "NoAssignUids": _no_assign_uids,
        "MetadataFile": lambda t, e, p: replace(t, metadata_file=_local_file(e, p)),
        "Document": _document,
        "UseId": _use_id,
        "UseReport": _use_report,
        "Report": _report,
        "ExpectedContents": _expected_contents,
        "Assertions": _assertions,
        "homeCommunityId": lambda t, e, p: replace(t, home_community_id=_text(e)),
        "WaitBefore": lambda t, e, p: replace(t, wait_before_ms=int(_text(e))),
        "ReferenceDocument": _reference_document,
        "ReferenceMetadata": _reference_metadata,
    }
)


def _transaction(element: etree._Element, path: Path) -> Transaction:
    transaction = Transaction(kind=TransactionKind(element.tag))
    for child in _children(element):
        handler = _TRANSACTION_CHILDREN.get(child.tag)
        if handler is not None:
            transaction = handler(transaction, child, path)
        elif child.tag in IGNORED_ELEMENTS:
            ignored = IgnoredElement(child.tag, _text(child))
            transaction = replace(transaction, ignored=(*transaction.ignored, ignored))
        else:
            raise TestkitError(f"{path}: unknown element <{child.tag}> in <{element.tag}>")
    return transaction


def _rule(element: etree._Element, path: Path) -> Rule:
    parts = {child.tag: _text(child) for child in _children(element)}
    unknown = set(parts) - {"Transaction", "SQ", "Assertion"}
    if unknown:
        raise TestkitError(f"{path}: unknown elements {sorted(unknown)} in <Rule>")
    return Rule(
        text=_text(element),
        transaction=parts.get("Transaction"),
        stored_query=parts.get("SQ"),
        assertion=parts.get("Assertion"),
    )


def _statuses(text: str, path: Path) -> tuple[ResponseStatus, ...]:
    try:
        return tuple(_STATUSES[name.strip()] for name in text.split(","))
    except KeyError as exc:
        raise TestkitError(f"{path}: unknown ExpectedStatus {text!r}") from exc


@dataclass
class _StepParts:
    transaction: Transaction | None = None
    statuses: tuple[ResponseStatus, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    goals: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


_STEP_TEXTS = ("ExpectedErrorMessage", "ExpectedErrorCode")
_STEP_FLAGS = ("AltPatientId", "NewPatientId")
_TRANSACTION_TAGS = frozenset(kind.value for kind in TransactionKind)


def _step_child(parts: _StepParts, child: etree._Element, path: Path) -> None:
    if child.tag in _TRANSACTION_TAGS:
        if parts.transaction is not None:
            raise TestkitError(f"{path}: a step holds more than one transaction")
        parts.transaction = _transaction(child, path)
    elif child.tag == "ExpectedStatus":
        parts.statuses = _statuses(_text(child), path)
    elif child.tag in _STEP_TEXTS:
        parts.texts[child.tag] = _text(child)
    elif child.tag in _STEP_FLAGS:
        parts.flags.add(child.tag)
    elif child.tag == "Goal":
        parts.goals.append(_text(child))
    elif child.tag == "Rule":
        parts.rules.append(_rule(child, path))
    else:
        raise TestkitError(f"{path}: unknown element <{child.tag}> in <TestStep>")


def _step(element: etree._Element, path: Path) -> TestStep:
    parts = _StepParts()
    for child in _children(element):
        _step_child(parts, child, path)
    return TestStep(
        id=_attribute(element, "id", path),
        transaction=parts.transaction,
        expected_statuses=parts.statuses,
        expected_error_message=parts.texts.get("ExpectedErrorMessage"),
        expected_error_code=parts.texts.get("ExpectedErrorCode"),
        alt_patient_id="AltPatientId" in parts.flags,
        new_patient_id="NewPatientId" in parts.flags,
        goals=tuple(parts.goals),
        rules=tuple(parts.rules),
    )


def read_testplan(path: Path) -> TestPlan:
    """Read one testplan.xml; `TestkitError` names any element the reader does not know."""
    root = parse_xml(path.read_bytes())
    if root.tag != "TestPlan":
        raise TestkitError(f"{path}: the root is <{root.tag}>, not <TestPlan>")
    test, steps, rules = "", [], []
    for child in _children(root):
        if child.tag == "Test":
            test = _text(child)
        elif child.tag == "TestStep":
            steps.append(_step(child, path))
        elif child.tag == "Rule":
            rules.append(_rule(child, path))
        else:
            raise TestkitError(f"{path}: unknown element <{child.tag}> in <TestPlan>")
    return TestPlan(path=path, test=test, steps=tuple(steps), rules=tuple(rules))


def read_test(directory: Path) -> TestDefinition:
    """A test folder: the sections `index.idx` lists, in order, or its own testplan.xml."""
    index = directory / INDEX
    if index.is_file():
        names = [line.strip() for line in index.read_text().splitlines() if line.strip()]
    elif (directory / TESTPLAN).is_file():
        names = [""]
    else:
        raise TestkitError(f"{directory}: neither {INDEX} nor {TESTPLAN}")
    sections = []
    for name in names:
        plan_path = directory / name / TESTPLAN if name else directory / TESTPLAN
        if not plan_path.is_file():
            raise TestkitError(f"{index}: section {name!r} has no {TESTPLAN}")
        sections.append(Section(name, read_testplan(plan_path)))
    listed = {section.plan.path for section in sections}
    unlisted = tuple(sorted(p for p in directory.rglob(TESTPLAN) if p not in listed))
    return TestDefinition(path=directory, sections=tuple(sections), unlisted=unlisted)
