"""What the access policy and the audit read of a document: `JudgedDocument`.

`trustframework.decide` and `touched`/`data_controller_of` read only these attributes. A parsed
`schemas.model.DocumentEntry` has them, and so does `AccessFacts`, the compact record a service
keeps per document (the registry per DocumentEntry row, the repository per stored document), so
a read is judged without parsing the document's metadata again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from schemas.model import Author, Code, Cx, Timestamp, Xon


class JudgedDocument(Protocol):
    """The attributes of a DocumentEntry that access control and the audit read."""

    @property
    def entry_uuid(self) -> str: ...

    @property
    def unique_id(self) -> str: ...

    @property
    def repository_unique_id(self) -> str | None: ...

    @property
    def patient_id(self) -> Cx | None: ...

    @property
    def class_code(self) -> Code | None: ...

    @property
    def confidentiality_codes(self) -> Sequence[Code]: ...

    @property
    def creation_time(self) -> Timestamp | None: ...

    @property
    def service_start_time(self) -> Timestamp | None: ...

    @property
    def authors(self) -> Sequence[Author]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessFacts:
    """A document as access control judges it, read from a service's own stored record.

    `authors` holds one Author with the document's author institutions (in their order): the
    audit's data controller is the first of them with an organisation number.
    """

    entry_uuid: str
    unique_id: str
    repository_unique_id: str | None = None
    patient_id: Cx | None = None
    class_code: Code | None = None
    confidentiality_codes: tuple[Code, ...] = ()
    creation_time: Timestamp | None = None
    service_start_time: Timestamp | None = None
    authors: tuple[Author, ...] = ()

    @staticmethod
    def institutions_as_authors(institutions: Sequence[Xon]) -> tuple[Author, ...]:
        """The `authors` value for these author institutions."""
        return (Author(institutions=tuple(institutions)),) if institutions else ()

    @staticmethod
    def author_institutions(document: JudgedDocument) -> tuple[Xon, ...]:
        """Every author institution of `document`, in order (what `authors` keeps)."""
        return tuple(i for author in document.authors for i in author.institutions)
