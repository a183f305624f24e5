from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObjectList, read_object_list
from tests.conformance.nist.contents import check_contents
from tests.conformance.nist.reader import read_test
from tests.conformance.nist.testplan import ContentCheck, ExpectedContent

C = ContentCheck
RIM = v.NS_RIM
APPROVED, DEPRECATED = v.STATUS_APPROVED, v.STATUS_DEPRECATED
HAS_MEMBER = v.ASSOC_HAS_MEMBER


def ss(id_: str, status: str = APPROVED) -> str:
    return (
        f'<rim:RegistryPackage id="{id_}" status="{status}">'
        f'<rim:Classification classificationNode="{v.SS_CLASSIFICATION_NODE}" '
        f'classifiedObject="{id_}"/></rim:RegistryPackage>'
    )


def folder(id_: str, status: str = APPROVED) -> str:
    """A Folder classified by a top-level Classification, as some registries answer."""
    return (
        f'<rim:RegistryPackage id="{id_}" status="{status}"/>'
        f'<rim:Classification classificationNode="{v.FOLDER_CLASSIFICATION_NODE}" '
        f'classifiedObject="{id_}"/>'
    )


def de(id_: str, status: str = APPROVED) -> str:
    return f'<rim:ExtrinsicObject id="{id_}" status="{status}"/>'


def assoc(id_: str, source: str, target: str, kind: str = HAS_MEMBER) -> str:
    return (
        f'<rim:Association id="{id_}" associationType="{kind}" '
        f'sourceObject="{source}" targetObject="{target}"/>'
    )


def ref(id_: str) -> str:
    return f'<rim:ObjectRef id="{id_}"/>'


def objects(*parts: str) -> RimObjectList:
    xml = f'<rim:RegistryObjectList xmlns:rim="{RIM}">{"".join(parts)}</rim:RegistryObjectList>'
    return read_object_list(etree.fromstring(xml))


def failures(check: ContentCheck, found: RimObjectList, count: int | None = None) -> list[str]:
    return [f.detail for f in check_contents([ExpectedContent(check, count)], found)]


ONE_DOC = (ss("ss"), de("d1"), assoc("a1", "ss", "d1"))
TWO_DOC = (ss("ss"), de("d1"), de("d2"), assoc("a1", "ss", "d1"), assoc("a2", "ss", "d2"))
ONE_FOLDER = (ss("ss"), folder("f"), assoc("a1", "ss", "f"))
DOC_IN_FOLDER = (
    ss("ss"),
    de("d1"),
    folder("f"),
    assoc("a1", "ss", "d1"),
    assoc("a2", "ss", "f"),
    assoc("a3", "f", "d1"),
    assoc("a4", "ss", "a3"),
)
TWO_DOCS_ONE_IN_FOLDER = (
    ss("ss"),
    de("d1"),
    de("d2"),
    folder("f"),
    assoc("a1", "ss", "d1"),
    assoc("a2", "ss", "d2"),
    assoc("a3", "ss", "f"),
    assoc("a4", "f", "d2"),
    assoc("a5", "ss", "a4"),
)
TWO_DOCS_IN_FOLDER = (
    *TWO_DOCS_ONE_IN_FOLDER,
    assoc("a6", "f", "d1"),
    assoc("a7", "ss", "a6"),
)
REPLACED = (
    de("new"),
    de("old", DEPRECATED),
    assoc("r", "new", "old", v.ASSOC_REPLACE),
)


Case = tuple[ContentCheck, int | None, tuple[str, ...], tuple[str, ...], str]
CASES: list[Case] = [
    (C.DOCUMENTS, 2, TWO_DOC, ONE_DOC, "1 DocumentEntries instead of 2"),
    (C.FOLDERS, 1, ONE_FOLDER, ONE_DOC, "0 Folders instead of 1"),
    (C.SUBMISSION_SETS, 0, (de("d1"),), ONE_DOC, "1 SubmissionSets instead of 0"),
    (C.ASSOCIATIONS, 4, DOC_IN_FOLDER, ONE_DOC, "1 Associations instead of 4"),
    (C.OBJECT_REFS, 2, (ref("a"), ref("b")), (ref("a"),), "1 ObjectRefs instead of 2"),
    (C.OBJECT_REFS, 1, (ref("a"),), (ref("a"), de("d1")), "1 DocumentEntries instead of 0"),
    (C.NONE, None, (), (folder("f"),), "1 Folders instead of 0"),
    (C.SS_WITH_ONE_DOC, None, ONE_DOC, TWO_DOC, "2 DocumentEntries instead of 1"),
    (
        C.SS_WITH_ONE_DOC,
        None,
        ONE_DOC,
        (ss("ss"), de("d1"), assoc("a1", "d1", "ss")),
        "no HasMember association from ss to d1",
    ),
    (
        C.SS_WITH_ONE_DOC,
        None,
        ONE_DOC,
        (ss("ss", DEPRECATED), de("d1"), assoc("a1", "ss", "d1")),
        f"SubmissionSet ss has status {DEPRECATED} instead of {APPROVED}",
    ),
    (
        C.SS_WITH_TWO_DOC,
        None,
        TWO_DOC,
        (ss("ss"), de("d1"), de("d2"), assoc("a1", "ss", "d1"), assoc("a2", "d2", "ss")),
        "no HasMember association from ss to d2",
    ),
    (C.SS_WITH_ONE_FOL, None, ONE_FOLDER, (ss("ss"), folder("f")), "0 Associations"),
    (
        C.SS_WITH_ONE_DOC_ONE_FOL,
        None,
        DOC_IN_FOLDER,
        (*DOC_IN_FOLDER[:-1], assoc("a4", "ss", "a1")),
        "no HasMember association from ss to association a3",
    ),
    (
        C.SS_WITH_TWO_DOC_ONE_FOL,
        None,
        TWO_DOCS_IN_FOLDER,
        (*TWO_DOCS_ONE_IN_FOLDER, assoc("a6", "ss", "d1"), assoc("a7", "ss", "a4")),
        "no HasMember association from Folder f to d1",
    ),
    (
        C.SS_WITH_TWO_DOC_ONE_FOL_ONE_DOC_IN_FOL,
        None,
        TWO_DOCS_ONE_IN_FOLDER,
        (*TWO_DOCS_ONE_IN_FOLDER[:-2], assoc("a4", "ss", "d2"), assoc("a5", "ss", "a4")),
        "0 DocumentEntries in the Folder instead of 1",
    ),
    (C.DOC_APPROVED, None, TWO_DOC, REPLACED, f"DocumentEntry old has status {DEPRECATED}"),
    (C.DOC_DEPRECATED, None, (de("old", DEPRECATED),), REPLACED, "DocumentEntry new has"),
    (C.ONE_DOC_APPROVED, None, REPLACED, TWO_DOC, f"2 DocumentEntries with status {APPROVED}"),
    (C.ONE_DOC_DEPRECATED, None, REPLACED, TWO_DOC, "0 DocumentEntries with status"),
    (C.FOLDER_APPROVED, None, ONE_FOLDER, (folder("f", DEPRECATED),), "Folder f has status"),
    (C.FOLDER_DEPRECATED, None, (folder("f", DEPRECATED),), ONE_FOLDER, "Folder f has"),
    (C.SS_APPROVED, None, ONE_DOC, (ss("ss", "Approved"),), "has status Approved instead"),
    (C.SS_APPROVED, None, ONE_DOC, (de("d1"),), "no SubmissionSet"),
    (C.HAS_RPLC, None, REPLACED, ONE_DOC, f"no {v.ASSOC_REPLACE} association"),
    (
        C.HAS_XFRM_RPLC,
        None,
        (assoc("x", "a", "b", v.ASSOC_TRANSFORM_REPLACE),),
        (assoc("x", "a", "b", v.ASSOC_TRANSFORM),),
        f"no {v.ASSOC_TRANSFORM_REPLACE} association",
    ),
    (
        C.HAS_APND,
        None,
        (assoc("x", "a", "b", v.ASSOC_APPEND),),
        (assoc("x", "a", "b", "APND"),),
        f"no {v.ASSOC_APPEND} association",
    ),
    (
        C.DOC_RPLC_DOC,
        None,
        REPLACED,
        (de("new"), de("old", DEPRECATED), assoc("r", "old", "new", v.ASSOC_REPLACE)),
        "no RPLC association from new to old",
    ),
    (C.NO_SUBMISSION_SET, None, (de("d1"),), ONE_DOC, "1 SubmissionSets instead of 0"),
    (C.NO_DOCUMENT, None, ONE_FOLDER, ONE_DOC, "1 DocumentEntries instead of 0"),
]


@pytest.mark.parametrize(("check", "count", "good", "bad", "why"), CASES)
def test_each_check_passes_the_right_shape_and_says_why_another_fails(
    check: ContentCheck, count: int | None, good: tuple[str, ...], bad: tuple[str, ...], why: str
) -> None:
    assert failures(check, objects(*good), count) == []
    problems = failures(check, objects(*bad), count)
    assert len(problems) == 1
    assert why in problems[0]


def test_every_check_of_the_vocabulary_is_covered_above() -> None:
    assert {case[0] for case in CASES} == set(ContentCheck)


def test_a_count_check_without_a_count_is_a_failure_of_the_testplan() -> None:
    (failure,) = check_contents([ExpectedContent(C.DOCUMENTS)], objects())
    assert failure.check == "ExpectedContents/Documents"
    assert failure.detail == "the testplan gives no count"


def test_every_failed_check_is_reported_with_its_name_and_count() -> None:
    expected = [
        ExpectedContent(C.SUBMISSION_SETS, 0),
        ExpectedContent(C.DOCUMENTS, 1),
        ExpectedContent(C.ASSOCIATIONS, 1),
    ]
    found = check_contents(expected, objects(*TWO_DOC))
    assert [(f.check, f.detail) for f in found] == [
        ("ExpectedContents/SubmissionSets=0", "1 SubmissionSets instead of 0"),
        ("ExpectedContents/Documents=1", "2 DocumentEntries instead of 1"),
        ("ExpectedContents/Associations=1", "2 Associations instead of 1"),
    ]


def test_the_12346_data_set_has_the_counts_15803_expects(testkit: Path) -> None:
    """GetAll over 12346 as guide §1.4 describes it: 6 DEs, 5 SSs, 2 Folders, 15 Associations."""
    (section,) = read_test(testkit / "15803").sections
    step = section.plan.steps[0]
    assert step.transaction is not None
    assert step.transaction.expected_contents is not None
    data = (
        *(ss(f"ss{n}") for n in range(5)),
        *(de(f"d{n}") for n in range(6)),
        folder("f1"),
        folder("f2"),
        *(assoc(f"a{n}", "ss0", f"d{n % 6}") for n in range(15)),
    )
    assert check_contents(step.transaction.expected_contents, objects(*data)) == []
