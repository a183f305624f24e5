"""The access facts of a DocumentEntry row: what the access policy and the audit judge
(`trustframework.judged.AccessFacts`), kept with the row so a stored query is judged without
parsing the stored XML (docs/registry.md, "Access control").

Most facts are query columns already (entryUUID, uniqueId, repositoryUniqueId, patient, class
code, creationTime, serviceStartTime). The rest are kept in one compact JSON column,
`document_entries.access_facts`, written here and nowhere else:

    {"confidentiality_codes": [[code, scheme], …], "author_institutions": [XON, …]}

(every confidentiality code in its order; every author institution in its order, as XON text).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping

from schemas.model import Code, Cx, DocumentEntry, Timestamp, Xon
from trustframework.judged import AccessFacts

CONFIDENTIALITY_CODES = "confidentiality_codes"
AUTHOR_INSTITUTIONS = "author_institutions"

# The document_entries columns `access_facts_of` reads.
FACT_COLUMNS = (
    "entry_uuid",
    "unique_id",
    "repository_unique_id",
    "patient_id",
    "class_code",
    "class_scheme",
    "creation_time",
    "service_start_time",
    "access_facts",
)


def stored_access_facts(entry: DocumentEntry) -> dict[str, list[Any]]:
    """The `access_facts` column value of `entry`."""
    return {
        CONFIDENTIALITY_CODES: [[c.code, c.scheme] for c in entry.confidentiality_codes],
        AUTHOR_INSTITUTIONS: [xon.render() for xon in AccessFacts.author_institutions(entry)],
    }


def access_facts_of(row: RowMapping) -> AccessFacts | None:
    """The facts of a DocumentEntry row read with (at least) the `FACT_COLUMNS`; None when the
    row has none (never after migration 0004: the reader then refuses to judge it)."""
    compact: Mapping[str, list[Any]] | None = row["access_facts"]
    if compact is None:
        return None
    class_code = row["class_code"]
    return AccessFacts(
        entry_uuid=row["entry_uuid"],
        unique_id=row["unique_id"],
        repository_unique_id=row["repository_unique_id"],
        patient_id=Cx.parse(row["patient_id"]),  # remembered parses: schemas.model.hl7v2
        class_code=None
        if class_code is None
        else Code(code=class_code, scheme=row["class_scheme"]),
        confidentiality_codes=tuple(
            Code(code=code, scheme=scheme) for code, scheme in compact[CONFIDENTIALITY_CODES]
        ),
        creation_time=_timestamp(row["creation_time"]),
        service_start_time=_timestamp(row["service_start_time"]),
        authors=AccessFacts.institutions_as_authors(
            tuple(Xon.parse(text) for text in compact[AUTHOR_INSTITUTIONS])
        ),
    )


def _timestamp(padded: str | None) -> Timestamp | None:
    return None if padded is None else Timestamp(padded)
