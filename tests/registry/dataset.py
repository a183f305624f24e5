"""The NIST stored-query data set (test 12346), rebuilt with the metadata factory.

Five submissions, as 12346's sections: `single_doc`, `doc_w_fol`, `two_doc_w_fol`,
`doc_for_rplc` and `rplc` (replacing `doc_for_rplc`). The result has 6 DocumentEntries (5
Approved, 1 Deprecated), 5 SubmissionSets, 2 Folders and 15 Associations, which test 15803
counts. The DocumentEntries differ in codes and times so each FindDocuments filter has a known
answer:

| entry   | class | confidentiality | format | events | creationTime | author           |
|---------|-------|-----------------|--------|--------|--------------|------------------|
| single  | A     | N               | pdf    | E1     | 20041224     | Ford, Harrison   |
| in_fol  | B     | N               | pdf    |        | 20050102     | Smitty, Gerald   |
| first   | B     | R               | cda    | E1, E2 | 20050103     | Smitty, Gerald   |
| second  | B     | N               | pdf    | E2     | 20050104     | Smitty, Gerald   |
| old     | C     | N               | pdf    |        | 20050105     | (Deprecated)     |
| new     | C     | N               | pdf    |        | 20050106     | Smitty, Gerald   |
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from registry.interfaces import RegistryStore
from registry.services import RegistryOptions, register_document_set
from schemas import vocabulary as v
from schemas.model import (
    Author,
    Code,
    Cx,
    DocumentEntry,
    RegistryObjectBase,
    Timestamp,
    Xcn,
    XdsMetadata,
)
from tests.support.registry_metadata import MetadataFactory, replacement_of, submission

SCHEME = "1.3.6.1.4.1.21367.100.1"
CLASS_A = Code("DEMO-Referral", SCHEME)
CLASS_B = Code("DEMO-Consult", SCHEME)
CLASS_C = Code("DEMO-Lab", SCHEME)
NORMAL = Code("N", "2.16.840.1.113883.5.25")
RESTRICTED = Code("R", "2.16.840.1.113883.5.25")
PDF = Code("urn:ihe:iti:xds:2017:mimeTypeSufficient", "1.3.6.1.4.1.19376.1.2.3")
CDA = Code("urn:ihe:pcc:xds-ms:2007", "1.3.6.1.4.1.19376.1.2.3")
EVENT_1 = Code("T-D8200", "SNM3")
EVENT_2 = Code("T-62002", "SNM3")
REFERENCE_ID = Cx.parse("20061223^^^&1.2.5643.2&ISO^urn:ihe:iti:xds:2013:uniqueId")
FORD = Author(person=Xcn.parse("^Ford^Harrison^^^"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """The entryUUIDs and uniqueIds one submission produced."""

    submission_set: str
    submission_set_unique_id: str
    documents: tuple[str, ...]
    document_unique_ids: tuple[str, ...]
    folder: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dataset:
    single_doc: Section
    doc_w_fol: Section
    two_doc_w_fol: Section
    doc_for_rplc: Section
    rplc: Section


def _register(store: RegistryStore, options: RegistryOptions, metadata: XdsMetadata) -> Section:
    ids = register_document_set(store, metadata, options=options).assigned_ids
    documents = sorted(e.entry_uuid for e in metadata.document_entries)
    return Section(
        submission_set=ids["SubmissionSet01"],
        submission_set_unique_id=metadata.submission_sets[0].unique_id,
        documents=tuple(ids[d] for d in documents),
        document_unique_ids=tuple(
            e.unique_id for d in documents for e in metadata.document_entries if e.entry_uuid == d
        ),
        folder=ids.get("Folder01"),
    )


def _entry(factory: MetadataFactory, entry_id: str, created: str, **changes: Any) -> DocumentEntry:
    return factory.document_entry(
        entry_id,
        creation_time=Timestamp(created),
        confidentiality_codes=(changes.pop("confidentiality", NORMAL),),
        format_code=changes.pop("format_code", PDF),
        **changes,
    )


def _in_folder(factory: MetadataFactory, entries: list[DocumentEntry]) -> XdsMetadata:
    objects: list[RegistryObjectBase] = [
        factory.submission_set(),
        factory.folder(),
        factory.has_member("SubmissionSet01", "Folder01", status=None),
    ]
    for entry in entries:
        link = factory.folder_membership("Folder01", entry.entry_uuid)
        objects += [
            entry,
            factory.has_member("SubmissionSet01", entry.entry_uuid),
            link,
            factory.has_member("SubmissionSet01", link.entry_uuid, status=None),
        ]
    return submission(objects)


def build_dataset(
    store: RegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> Dataset:
    """Register 12346's five sections in order."""
    single = _entry(
        factory,
        "Document01",
        "20041224",
        class_code=CLASS_A,
        event_codes=(EVENT_1,),
        authors=(FORD,),
        reference_ids=(REFERENCE_ID,),
    )
    in_folder = _entry(factory, "Document01", "20050102", class_code=CLASS_B)
    first = _entry(
        factory,
        "Document01",
        "20050103",
        class_code=CLASS_B,
        confidentiality=RESTRICTED,
        format_code=CDA,
        event_codes=(EVENT_1, EVENT_2),
    )
    second = _entry(factory, "Document02", "20050104", class_code=CLASS_B, event_codes=(EVENT_2,))
    old = _entry(factory, "Document01", "20050105", class_code=CLASS_C)
    single_doc = _register(
        store,
        options,
        submission(
            factory.submission_set(), single, factory.has_member("SubmissionSet01", "Document01")
        ),
    )
    doc_w_fol = _register(store, options, _in_folder(factory, [in_folder]))
    two_doc_w_fol = _register(store, options, _in_folder(factory, [first, second]))
    doc_for_rplc = _register(
        store,
        options,
        submission(
            factory.submission_set(), old, factory.has_member("SubmissionSet01", "Document01")
        ),
    )
    replacement = replacement_of(factory, doc_for_rplc.documents[0], v.ASSOC_REPLACE)
    new = dataclasses.replace(
        replacement.document_entries[0], class_code=CLASS_C, creation_time=Timestamp("20050106")
    )
    rplc = _register(store, options, dataclasses.replace(replacement, document_entries=(new,)))
    return Dataset(
        single_doc=single_doc,
        doc_w_fol=doc_w_fol,
        two_doc_w_fol=two_doc_w_fol,
        doc_for_rplc=doc_for_rplc,
        rplc=rplc,
    )
