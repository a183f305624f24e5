"""`ExpectedContents`: the response-shape checks of guide §1.3 over a `rim:RegistryObjectList`.

The checks are those of NIST `Validator.run_test_assertion`, with two differences a correct
registry never notices: statuses and association types must be the full ebRS 3.0 URNs (the toolkit
also accepts short forms), and `SSwithTwoDoc` requires both HasMember associations (the toolkit's
`ss2Doc` inverts that test and so can never pass when they are present).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind, RimObject, RimObjectList
from tests.conformance.nist.report import CheckFailure
from tests.conformance.nist.testplan import ContentCheck, ExpectedContent


@dataclass(frozen=True, slots=True)
class Contents:
    """The XDS objects of a response, by kind."""

    submission_sets: tuple[RimObject, ...]
    documents: tuple[RimObject, ...]
    folders: tuple[RimObject, ...]
    associations: tuple[RimObject, ...]
    object_refs: int

    @classmethod
    def of(cls, objects: RimObjectList) -> Contents:
        return cls(
            submission_sets=tuple(objects.submission_sets()),
            documents=tuple(objects.of_kind(RimKind.EXTRINSIC_OBJECT)),
            folders=tuple(objects.folders()),
            associations=tuple(objects.of_kind(RimKind.ASSOCIATION)),
            object_refs=len(objects.object_refs),
        )

    def association(self, source: RimObject, target: RimObject, kind: str) -> RimObject | None:
        return next(
            (
                a
                for a in self.associations
                if a.source_object == source.id
                and a.target_object == target.id
                and a.association_type == kind
            ),
            None,
        )


Problems = list[str]


def _count(name: str, found: Sequence[object] | int, expected: int) -> Problems:
    number = found if isinstance(found, int) else len(found)
    return [] if number == expected else [f"{number} {name} instead of {expected}"]


def _counts(contents: Contents, ss: int, docs: int, folders: int, associations: int) -> Problems:
    return [
        *_count("SubmissionSets", contents.submission_sets, ss),
        *_count("DocumentEntries", contents.documents, docs),
        *_count("Folders", contents.folders, folders),
        *_count("Associations", contents.associations, associations),
    ]


def _has_member(contents: Contents, source: RimObject, target: RimObject) -> RimObject | None:
    return contents.association(source, target, v.ASSOC_HAS_MEMBER)


def _members(contents: Contents, source: RimObject, targets: Iterable[RimObject]) -> Problems:
    return [
        f"no HasMember association from {source.id} to {target.id}"
        for target in targets
        if _has_member(contents, source, target) is None
    ]


def _with_status(objects: Iterable[RimObject], status: str) -> list[RimObject]:
    return [o for o in objects if o.status == status]


def _all_with_status(name: str, objects: Sequence[RimObject], status: str) -> Problems:
    return [
        f"{name} {o.id} has status {o.status} instead of {status}"
        for o in objects
        if o.status != status
    ]


def _one_with_status(objects: Sequence[RimObject], status: str) -> Problems:
    found = len(_with_status(objects, status))
    return [] if found == 1 else [f"{found} DocumentEntries with status {status} instead of 1"]


def _ss_approved(contents: Contents) -> Problems:
    if not contents.submission_sets:
        return ["no SubmissionSet"]
    return _all_with_status("SubmissionSet", contents.submission_sets[:1], v.STATUS_APPROVED)


def _ss_with_docs(contents: Contents, docs: int) -> Problems:
    problems = _count("SubmissionSets", contents.submission_sets, 1)
    problems += _count("DocumentEntries", contents.documents, docs)
    problems += _count("Associations", contents.associations, docs)
    if problems:
        return problems
    (ss,) = contents.submission_sets
    return _members(contents, ss, contents.documents) + _ss_approved(contents)


def _ss_with_one_folder(contents: Contents) -> Problems:
    problems = _counts(contents, 1, 0, 1, 1)
    if problems:
        return problems
    return _members(contents, contents.submission_sets[0], contents.folders)


def _folder_memberships(
    contents: Contents, ss: RimObject, documents: Sequence[RimObject]
) -> Problems:
    """Folder→DocumentEntry HasMember for each of `documents`, each announced by the SubmissionSet
    with a HasMember to that association (ITI TF-3 4.2.2.1.2)."""
    problems = []
    folder = contents.folders[0]
    for document in documents:
        membership = _has_member(contents, folder, document)
        if membership is None:
            problems.append(f"no HasMember association from Folder {folder.id} to {document.id}")
        elif _has_member(contents, ss, membership) is None:
            problems.append(f"no HasMember association from {ss.id} to association {membership.id}")
    return problems


def _ss_with_folder(contents: Contents, docs: int, in_folder: int, associations: int) -> Problems:
    problems = _counts(contents, 1, docs, 1, associations)
    if problems:
        return problems
    ss, folder = contents.submission_sets[0], contents.folders[0]
    problems = _members(contents, ss, (*contents.documents, folder))
    if in_folder == docs:
        return problems + _folder_memberships(contents, ss, contents.documents)
    # which DocumentEntry is in the Folder is not said: count those that are
    members = [d for d in contents.documents if _has_member(contents, folder, d) is not None]
    if len(members) != in_folder:
        return [*problems, f"{len(members)} DocumentEntries in the Folder instead of {in_folder}"]
    return problems + _folder_memberships(contents, ss, members)


def _no_objects(contents: Contents) -> Problems:
    return _counts(contents, 0, 0, 0, 0)


def _object_refs(contents: Contents, count: int) -> Problems:
    return _count("ObjectRefs", contents.object_refs, count) + _no_objects(contents)


def _has_association(contents: Contents, kind: str) -> Problems:
    found = any(a.association_type == kind for a in contents.associations)
    return [] if found else [f"no {kind} association"]


def _doc_replaces_doc(contents: Contents) -> Problems:
    problems = [*_count("DocumentEntries", contents.documents, 2)]
    problems += _count("Associations", contents.associations, 1)
    if problems:
        return problems
    approved = _with_status(contents.documents, v.STATUS_APPROVED)
    deprecated = _with_status(contents.documents, v.STATUS_DEPRECATED)
    if len(approved) != 1 or len(deprecated) != 1:
        return ["not one Approved and one Deprecated DocumentEntry"]
    if contents.association(approved[0], deprecated[0], v.ASSOC_REPLACE) is None:
        return [f"no RPLC association from {approved[0].id} to {deprecated[0].id}"]
    return []


Check = Callable[[Contents, int], Problems]

_CHECKS: Mapping[ContentCheck, Check] = MappingProxyType(
    {
        ContentCheck.DOCUMENTS: lambda c, n: _count("DocumentEntries", c.documents, n),
        ContentCheck.FOLDERS: lambda c, n: _count("Folders", c.folders, n),
        ContentCheck.SUBMISSION_SETS: lambda c, n: _count("SubmissionSets", c.submission_sets, n),
        ContentCheck.ASSOCIATIONS: lambda c, n: _count("Associations", c.associations, n),
        ContentCheck.OBJECT_REFS: _object_refs,
        ContentCheck.NONE: lambda c, _: _no_objects(c),
        ContentCheck.SS_WITH_ONE_DOC: lambda c, _: _ss_with_docs(c, 1),
        ContentCheck.SS_WITH_TWO_DOC: lambda c, _: _ss_with_docs(c, 2),
        ContentCheck.SS_WITH_ONE_FOL: lambda c, _: _ss_with_one_folder(c),
        ContentCheck.SS_WITH_ONE_DOC_ONE_FOL: lambda c, _: _ss_with_folder(c, 1, 1, 4),
        ContentCheck.SS_WITH_TWO_DOC_ONE_FOL: lambda c, _: _ss_with_folder(c, 2, 2, 7),
        ContentCheck.SS_WITH_TWO_DOC_ONE_FOL_ONE_DOC_IN_FOL: lambda c, _: _ss_with_folder(
            c, 2, 1, 5
        ),
        ContentCheck.DOC_APPROVED: lambda c, _: _all_with_status(
            "DocumentEntry", c.documents, v.STATUS_APPROVED
        ),
        ContentCheck.DOC_DEPRECATED: lambda c, _: _all_with_status(
            "DocumentEntry", c.documents, v.STATUS_DEPRECATED
        ),
        ContentCheck.ONE_DOC_APPROVED: lambda c, _: _one_with_status(
            c.documents, v.STATUS_APPROVED
        ),
        ContentCheck.ONE_DOC_DEPRECATED: lambda c, _: _one_with_status(
            c.documents, v.STATUS_DEPRECATED
        ),
        ContentCheck.FOLDER_APPROVED: lambda c, _: _all_with_status(
            "Folder", c.folders, v.STATUS_APPROVED
        ),
        ContentCheck.FOLDER_DEPRECATED: lambda c, _: _all_with_status(
            "Folder", c.folders, v.STATUS_DEPRECATED
        ),
        ContentCheck.SS_APPROVED: lambda c, _: _ss_approved(c),
        ContentCheck.HAS_RPLC: lambda c, _: _has_association(c, v.ASSOC_REPLACE),
        ContentCheck.HAS_XFRM_RPLC: lambda c, _: _has_association(c, v.ASSOC_TRANSFORM_REPLACE),
        ContentCheck.HAS_APND: lambda c, _: _has_association(c, v.ASSOC_APPEND),
        ContentCheck.DOC_RPLC_DOC: lambda c, _: _doc_replaces_doc(c),
        ContentCheck.NO_SUBMISSION_SET: lambda c, _: _count("SubmissionSets", c.submission_sets, 0),
        ContentCheck.NO_DOCUMENT: lambda c, _: _count("DocumentEntries", c.documents, 0),
    }
)
_COUNTED = frozenset(
    {
        ContentCheck.DOCUMENTS,
        ContentCheck.FOLDERS,
        ContentCheck.SUBMISSION_SETS,
        ContentCheck.ASSOCIATIONS,
        ContentCheck.OBJECT_REFS,
    }
)


def check_name(expected: ExpectedContent) -> str:
    count = "" if expected.count is None else f"={expected.count}"
    return f"ExpectedContents/{expected.check.value}{count}"


def check_contents(
    expected: Sequence[ExpectedContent], objects: RimObjectList
) -> list[CheckFailure]:
    """Every failed check, with what was found; an empty list when the response has the shape."""
    contents = Contents.of(objects)
    failures = []
    for item in expected:
        if item.check in _COUNTED and item.count is None:
            failures.append(CheckFailure(check_name(item), "the testplan gives no count"))
            continue
        problems = _CHECKS[item.check](contents, item.count or 0)
        if problems:
            failures.append(CheckFailure(check_name(item), "; ".join(problems)))
    return failures
