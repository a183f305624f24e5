"""What a replay runs and in which order: the catalogue, dependencies, patients, DIR arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.nist.catalogue import FIXTURES, GROUPS, TestGroup, group_of, group_tests
from tests.conformance.nist.corpus import nist_test_folders
from tests.conformance.nist.reader import TestkitError, read_test
from tests.conformance.nist.runner import (
    dependencies,
    folders_to_run,
    name_of_test,
    owning_test_folder,
    patient_fixture,
    run_order,
)


def names(folders: list[Path]) -> list[str]:
    return [name_of_test(folder) for folder in folders]


def test_every_test_outside_utilities_and_test_data_is_in_one_group_or_a_fixture(
    testkit: Path,
) -> None:
    tests = {
        folder.name
        for folder in nist_test_folders(testkit)
        if not folder.relative_to(testkit).parts[0].startswith("_")
    }
    grouped = [name for group in GROUPS.values() for name in group]
    assert len(grouped) == len(set(grouped)), "no test is in two groups"
    assert set(grouped) | set(FIXTURES) == tests
    assert not set(grouped) & set(FIXTURES)
    assert group_of("11990") is TestGroup.REGISTRY
    assert group_of("20000") is TestGroup.METADATA_UPDATE
    assert group_of("15803") is TestGroup.QUERY
    assert group_of("12029") is TestGroup.REPOSITORY
    assert group_of("12346") is None
    assert group_tests(TestGroup.METADATA_UPDATE) == ("15800", "15800b", "20000")
    assert len(group_tests()) == len(grouped)


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ("11990", ["15817"]),
        ("11997", ["15817", "15817b"]),
        ("11966", ["15817"]),  # Provide and Register without a UseReport: the test's patient
        ("11996", []),  # its only step submits for a patient nobody fed
        ("12346", ["15818"]),
        ("11897", ["12346"]),
        ("11901", ["12346"]),
        ("15817", []),
        ("12029", ["15817"]),
    ],
)
def test_dependencies_are_the_tests_a_test_takes_values_from(
    testkit: Path, test: str, expected: list[str]
) -> None:
    assert names(dependencies(read_test(testkit / test), read_test)) == expected


@pytest.mark.parametrize(
    ("test", "fixture"),
    [
        ("12346", "15818"),
        ("11990", "15817"),
        ("12002", "15817"),  # 15817b is its second patient
        ("11986", "15817"),  # names none
        ("11901", "15818"),  # reads 12346's data
        ("15803", "15818"),
    ],
)
def test_the_patient_of_a_test(testkit: Path, test: str, fixture: str) -> None:
    assert patient_fixture(read_test(testkit / test), read_test) == fixture


def test_dependencies_run_first_and_once(testkit: Path) -> None:
    order = run_order([testkit / "11897", testkit / "11990", testkit / "11901"], read_test)
    assert names(order) == ["15818", "12346", "11897", "15817", "11990", "11901"]


def test_a_dependency_cycle_is_refused(tmp_path: Path) -> None:
    for name, other in (("1", "2"), ("2", "1")):
        (tmp_path / name / "s").mkdir(parents=True)
        (tmp_path / name / "index.idx").write_text("s\n")
        (tmp_path / name / "s" / "testplan.xml").write_text(
            f"<TestPlan><Test>{name}</Test><TestStep id='a'><NullTransaction>"
            f"<UseReport reportName='r' test='{other}' section='s' step='a' useAs='x'/>"
            "</NullTransaction></TestStep></TestPlan>"
        )
    with pytest.raises(TestkitError, match="cycle"):
        run_order([tmp_path / "1"], read_test)


def test_dir_arguments(testkit: Path) -> None:
    assert names(folders_to_run([testkit / "11990", testkit / "11990"], [])) == ["11990"]
    queries = folders_to_run([testkit], [TestGroup.QUERY])
    assert names(queries) == list(GROUPS[TestGroup.QUERY])
    assert len(folders_to_run([testkit], [])) == len(group_tests())
    nested = folders_to_run([testkit / "_utilities" / "GetAll" / "XDS"], [])
    assert names(nested) == ["_utilities/GetAll/XDS"]
    with pytest.raises(TestkitError, match="is a section of"):
        folders_to_run([testkit / "11990" / "submit"], [])
    with pytest.raises(TestkitError, match="neither a test folder nor the testkit root"):
        folders_to_run([testkit / "11990" / "eval" / "readme.txt"], [])


def test_the_test_a_section_folder_belongs_to(testkit: Path) -> None:
    assert owning_test_folder(testkit / "12346" / "single_doc") == testkit / "12346"
    nested = testkit / "_utilities" / "GetAll" / "XDS"
    assert owning_test_folder(nested) == nested
