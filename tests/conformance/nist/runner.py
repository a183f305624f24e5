"""Which tests a replay runs, in which order, and running them section by section, step by step.

A test's dependencies run before it, once per run: the tests its `UseReport test=…` names, the
tests whose sections its `UseId`/`ReferenceMetadata testdir` reaches (`../../12346/single_doc`),
and the fixture of its own patient when a submission needs one (`patient_fixture`).
Given the testkit root, a replay runs the catalogue's tests (all groups, or the ones asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from tests.conformance.nist.catalogue import (
    MAIN_PATIENT_FIXTURE,
    PATIENT_FIXTURES,
    QUERY_PATIENT_FIXTURE,
    TestGroup,
    group_tests,
)
from tests.conformance.nist.memory import SectionPlace
from tests.conformance.nist.reader import INDEX, TESTPLAN, TestkitError, read_test
from tests.conformance.nist.report import RunReport, StepResult
from tests.conformance.nist.steps import StepRunner
from tests.conformance.nist.testplan import TestDefinition, TransactionKind

_OWN_PATIENT_FIXTURES = (MAIN_PATIENT_FIXTURE, QUERY_PATIENT_FIXTURE)
_SUBMISSIONS = frozenset(
    {
        TransactionKind.REGISTER,
        TransactionKind.PROVIDE_AND_REGISTER,
        TransactionKind.METADATA_UPDATE,
    }
)


def locate_test(name: str, near: Path) -> Path:
    """The folder of test `name` in the testkit that holds the folder `near`."""
    for folder in near.resolve().parents:
        candidate = folder / name
        if (candidate / INDEX).is_file() or (candidate / TESTPLAN).is_file():
            return candidate
    raise TestkitError(f"test {name} (named from {near}) is not in the testkit")


def owning_test_folder(section: Path) -> Path:
    """The test a section folder belongs to: the nearest folder with an index.idx."""
    for folder in (section, *section.parents):
        if (folder / INDEX).is_file():
            return folder
    if (section / TESTPLAN).is_file():
        return section
    raise TestkitError(f"{section} is in no test folder")


def _is_test_folder(path: Path) -> bool:
    if (path / INDEX).is_file():
        return True
    return (path / TESTPLAN).is_file() and not (path.parent / INDEX).is_file()


def _needs_own_patient(test: TestDefinition) -> bool:
    return any(
        step.transaction.kind in _SUBMISSIONS
        and not step.transaction.no_patient_id
        and not (step.alt_patient_id or step.new_patient_id)
        for section in test.sections
        for step in section.plan.steps
        if step.transaction is not None
    )


def _data_dependencies(test: TestDefinition) -> list[Path]:
    """The tests whose steps `test` takes values from, in the order it names them."""
    found: list[Path] = []
    for section in test.sections:
        for step in section.plan.steps:
            transaction = step.transaction
            if transaction is None:
                continue
            found += (locate_test(u.test, test.path) for u in transaction.use_reports if u.test)
            testdirs = [u.testdir for u in transaction.use_ids if u.testdir]
            testdirs += [reference.testdir for reference in transaction.reference_metadata]
            for testdir in testdirs:
                found.append(owning_test_folder((section.plan.directory / testdir).resolve()))
    own = test.path.resolve()
    return [folder for folder in dict.fromkeys(found) if folder.resolve() != own]


Loader = Callable[[Path], TestDefinition]


def patient_fixture(test: TestDefinition, load: Loader, seen: frozenset[Path] = frozenset()) -> str:
    """The fixture whose patient is the test's own: the one its `UseReport`s name (15817, or
    15818 for the stored-query data of 12346; 15817b is only ever a second patient), else that of
    the test whose data it uses (11901 reads 12346's), else 15817."""
    named = (
        use.test
        for section in test.sections
        for step in section.plan.steps
        if step.transaction is not None
        for use in step.transaction.use_reports
    )
    own = next((name for name in named if name in _OWN_PATIENT_FIXTURES), None)
    if own is not None:
        return own
    for folder in _data_dependencies(test):
        if folder.name not in PATIENT_FIXTURES and folder not in seen:
            return patient_fixture(load(folder), load, seen | {test.path.resolve()})
    return MAIN_PATIENT_FIXTURE


def dependencies(test: TestDefinition, load: Loader) -> list[Path]:
    """The other tests `test` needs run first: those it takes values from, and the fixture of
    its patient when it submits for that patient."""
    found = _data_dependencies(test)
    if _needs_own_patient(test):
        fixture = locate_test(patient_fixture(test, load), test.path)
        found = [fixture, *(folder for folder in found if folder != fixture)]
    return found


def run_order(folders: Iterable[Path], load: Loader) -> list[Path]:
    """`folders` with their dependencies first, each once; TestkitError on a cycle."""
    order: list[Path] = []
    visiting: set[Path] = set()

    def visit(folder: Path) -> None:
        folder = folder.resolve()
        if folder in order:
            return
        if folder in visiting:
            raise TestkitError(f"tests depend on each other in a cycle through {folder}")
        visiting.add(folder)
        for dependency in dependencies(load(folder), load):
            visit(dependency)
        visiting.discard(folder)
        order.append(folder)

    for folder in folders:
        visit(folder)
    return order


def folders_to_run(paths: Sequence[Path], groups: Sequence[TestGroup]) -> list[Path]:
    """Test folders as given, and for a testkit root the catalogue tests of `groups` (all)."""
    chosen: list[Path] = []
    for path in (p.resolve() for p in paths):
        if _is_test_folder(path):
            chosen.append(path)
        elif (path / TESTPLAN).is_file():
            raise TestkitError(f"{path} is a section of {path.parent}; give the test folder")
        elif path.is_dir() and (path / MAIN_PATIENT_FIXTURE).is_dir():
            missing = [name for name in group_tests(*groups) if not _is_test_folder(path / name)]
            if missing:
                raise TestkitError(f"{path} lacks the catalogue tests {', '.join(missing)}")
            chosen += (path / name for name in group_tests(*groups))
        else:
            raise TestkitError(f"{path} is neither a test folder nor the testkit root")
    return list(dict.fromkeys(chosen))


def name_of_test(folder: Path) -> str:
    """A test's name: its folder relative to the testkit root (`11990`, `_utilities/GetAll`)."""
    try:
        root = locate_test(MAIN_PATIENT_FIXTURE, folder).parent
        return folder.resolve().relative_to(root.resolve()).as_posix()
    except (TestkitError, ValueError):
        return folder.name


class Replayer:
    """Runs test folders, dependencies first, against one deployment."""

    def __init__(self, steps: StepRunner) -> None:
        self.steps = steps
        self._tests: dict[Path, TestDefinition] = {}

    def _load(self, folder: Path) -> TestDefinition:
        folder = folder.resolve()
        if folder not in self._tests:
            self._tests[folder] = read_test(folder)
        return self._tests[folder]

    def plan(self, folders: Sequence[Path]) -> list[Path]:
        """The test folders a run of `folders` goes through, in order."""
        return run_order(folders, self._load)

    def _test_steps(self, folder: Path) -> Iterator[StepResult]:
        test = self._load(folder)
        patient_id = self.steps.patients.of_fixture(patient_fixture(test, self._load))
        name = name_of_test(folder)
        for section in test.sections:
            place = SectionPlace(
                test=test.path.resolve(),
                test_name=name,
                name=section.name,
                directory=section.plan.directory.resolve(),
            )
            for step in section.plan.steps:
                yield self.steps.run(place, step, patient_id)

    def run(
        self, folders: Sequence[Path], on_step: Callable[[StepResult], None] = lambda _: None
    ) -> RunReport:
        """Run `folders` (and what they depend on); `on_step` sees each result as it comes."""
        results = []
        for folder in self.plan(folders):
            for result in self._test_steps(folder):
                on_step(result)
                results.append(result)
        return RunReport(tuple(results))
