"""Which NIST tests check what (guide §2, §3, §4), so a suite can run one group at a time.

The fixtures are not a group: they only load data or patients that the groups' tests use, and the
replayer runs them when a test refers to them (`UseReport test=…`, `UseId testdir="../../12346/…"`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class TestGroup(StrEnum):
    """The actor option a test belongs to."""

    __test__ = False  # a group of NIST tests, not a pytest test class

    REGISTRY = "registry"  # Register.b (ITI-42), guide §2
    METADATA_UPDATE = "metadata-update"  # ITI-57, guide §2 "Metadata update"
    QUERY = "query"  # stored queries (ITI-18) over the 12346 data, guide §3
    REPOSITORY = "repository"  # Provide and Register (ITI-41) and Retrieve (ITI-43), guide §4


GROUPS: Mapping[TestGroup, tuple[str, ...]] = MappingProxyType(
    {
        TestGroup.REGISTRY: (
            "11990",
            "11991",
            "11992",
            "11993",
            "11996",
            "11997",
            "11998a",
            "11999",
            "12000",
            "12001",
            "12002",
            "12084",
            "12323",
            "12326",
            "15806",
        ),
        TestGroup.METADATA_UPDATE: ("15800", "15800b", "20000"),
        TestGroup.QUERY: ("11897", "11898", "11899", "11901", "11903", "11906", "11909", "15803"),
        TestGroup.REPOSITORY: ("11966", "11979", "11983", "11986", "12029", "12360"),
    }
)

MAIN_PATIENT_FIXTURE = "15817"  # the patient of the registry and repository tests
SECOND_PATIENT_FIXTURE = "15817b"  # a second fed patient, for the patient-id mismatch tests
QUERY_PATIENT_FIXTURE = "15818"  # the patient of the stored-query data set (12346)
QUERY_DATA_FIXTURE = "12346"  # loads the stored-query data set through Register.b

PATIENT_FIXTURES = (MAIN_PATIENT_FIXTURE, SECOND_PATIENT_FIXTURE, QUERY_PATIENT_FIXTURE)
FIXTURES = (*PATIENT_FIXTURES, QUERY_DATA_FIXTURE)


def group_tests(*groups: TestGroup) -> tuple[str, ...]:
    """The test names of `groups` (every group when none is given), in catalogue order."""
    return tuple(name for group in groups or tuple(TestGroup) for name in GROUPS[group])


def group_of(test_name: str) -> TestGroup | None:
    """The group a test belongs to; None for a fixture or a test outside the catalogue."""
    return next((group for group, names in GROUPS.items() if test_name in names), None)
