"""Finding things in the NIST testkit copy: test folders, metadata files, the steps using them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from schemas.xml import UnsafeXml, parse_xml
from tests.conformance.nist.reader import INDEX, TESTPLAN, read_test, read_testplan
from tests.conformance.nist.testplan import TestStep, Transaction

TESTKIT = "nist-testkit"


def nist_testkit(conformance: Path) -> Path:
    return conformance / TESTKIT


def nist_test_folders(testkit: Path) -> list[Path]:
    """Every folder the toolkit runs as one test: it has an index.idx, or a testplan.xml that no
    enclosing folder's index.idx covers."""
    indexed = {index.parent for index in testkit.rglob(INDEX)}
    loose = {
        plan.parent
        for plan in testkit.rglob(TESTPLAN)
        if not indexed.intersection(plan.parents) and plan.parent not in indexed
    }
    return sorted(indexed | loose)


def xml_files_with_root(testkit: Path, local_name: str) -> list[Path]:
    """The XML files (testplans aside) whose root element is `local_name` in any namespace."""
    found = []
    for path in sorted(testkit.rglob("*.xml")):
        if path.name == TESTPLAN:
            continue
        try:
            root = parse_xml(path.read_bytes())
        except UnsafeXml:  # 12346/metadata.xml is an empty file
            continue
        if etree.QName(root).localname == local_name:
            found.append(path)
    return found


@dataclass(frozen=True, slots=True)
class StepUse:
    """A step that sends a metadata file; `listed` is False when no index.idx runs its section."""

    step: TestStep
    plan: Path
    listed: bool


def step_uses(testkit: Path) -> Iterator[StepUse]:
    """Every step of every testplan that names a MetadataFile."""
    for folder in nist_test_folders(testkit):
        test = read_test(folder)
        plans = [(section.plan, True) for section in test.sections]
        plans += [(read_testplan(path), False) for path in test.unlisted]
        for plan, listed in plans:
            for step in plan.steps:
                if step.transaction is not None and step.transaction.metadata_file is not None:
                    yield StepUse(step, plan.path, listed)


def transaction_of(testkit: Path, test: str, section: str, step_id: str) -> Transaction:
    """The transaction of one step, named as the testkit names it (`11990`, `eval`, `by_uid`)."""
    transaction = read_test(testkit / test).section(section).plan.step(step_id).transaction
    if transaction is None:
        raise LookupError(f"step {step_id} of {test}/{section} holds no transaction")
    return transaction
