"""A whole `rim:RegistryObjectList` ↔ `XdsMetadata`.

A RegistryPackage classified as SubmissionSet becomes a SubmissionSet (this wins when a package
claims both), one classified as Folder a Folder; a package that is neither has no XDS meaning and
is left out of the domain (validation, which reads the rim list, reports it). Every ExtrinsicObject
is a DocumentEntry. Top-level `rim:Classification`s count for the object they classify.
"""

from __future__ import annotations

from schemas import vocabulary as v
from schemas.ebrim.rim import (
    RimClassification,
    RimKind,
    RimObject,
    RimObjectList,
    RimObjectRef,
)
from schemas.ebrim.transform.association import association_from_rim, association_to_rim
from schemas.ebrim.transform.common import node_classification
from schemas.ebrim.transform.document_entry import document_entry_from_rim, document_entry_to_rim
from schemas.ebrim.transform.folder import folder_from_rim, folder_to_rim
from schemas.ebrim.transform.submission_set import submission_set_from_rim, submission_set_to_rim
from schemas.model.common import ObjectRef
from schemas.model.messages import XdsMetadata


def metadata_from_rim(objects: RimObjectList) -> XdsMetadata:
    """Read every XDS object of the list (total: never raises)."""

    def all_of(obj: RimObject) -> tuple[RimClassification, ...]:
        return tuple(objects.all_classifications_of(obj))

    submission_sets = tuple(objects.submission_sets())
    submission_set_ids = {o.id for o in submission_sets}
    folders = tuple(o for o in objects.folders() if o.id not in submission_set_ids)
    return XdsMetadata(
        submission_sets=tuple(submission_set_from_rim(o, all_of(o)) for o in submission_sets),
        document_entries=tuple(
            document_entry_from_rim(o, all_of(o)) for o in objects.of_kind(RimKind.EXTRINSIC_OBJECT)
        ),
        folders=tuple(folder_from_rim(o, all_of(o)) for o in folders),
        associations=tuple(
            association_from_rim(o, all_of(o)) for o in objects.of_kind(RimKind.ASSOCIATION)
        ),
        object_refs=tuple(ObjectRef(r.id, r.home) for r in objects.object_refs),
    )


def metadata_to_rim(metadata: XdsMetadata) -> RimObjectList:
    """Write the objects (DocumentEntries, packages, Associations) and the ObjectRefs.

    Each package's SubmissionSet or Folder classification is a top-level `rim:Classification`,
    the form of the ITI TF-3 examples, which NIST, IPF and dcm4chee all read.
    """
    packages = [
        *((submission_set_to_rim(s), v.SS_CLASSIFICATION_NODE) for s in metadata.submission_sets),
        *((folder_to_rim(f), v.FOLDER_CLASSIFICATION_NODE) for f in metadata.folders),
    ]
    return RimObjectList(
        objects=(
            *(document_entry_to_rim(e) for e in metadata.document_entries),
            *(package for package, _ in packages),
            *(association_to_rim(a) for a in metadata.associations),
        ),
        classifications=tuple(node_classification(p.id, node) for p, node in packages),
        object_refs=tuple(RimObjectRef(r.id, r.home_community_id) for r in metadata.object_refs),
    )
