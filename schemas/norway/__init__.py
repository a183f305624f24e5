"""The Norwegian profile: national identifiers, Volven and HL7 code systems, PJD document types."""

from schemas.norway.codes import CodeSystem, Concept, code_system, code_systems, find_code_system
from schemas.norway.identifiers import (
    InvalidIdentifier,
    NationalIdentityNumber,
    PersonNumberKind,
    is_valid_hpr_number,
    is_valid_organisation_number,
    parse_national_identity_number,
    validate_national_identity_number,
)
from schemas.norway.kjernejournal import KJERNEJOURNAL_DOCUMENT_TYPES, DocumentTypeAllowList

__all__ = [
    "KJERNEJOURNAL_DOCUMENT_TYPES",
    "CodeSystem",
    "Concept",
    "DocumentTypeAllowList",
    "InvalidIdentifier",
    "NationalIdentityNumber",
    "PersonNumberKind",
    "code_system",
    "code_systems",
    "find_code_system",
    "is_valid_hpr_number",
    "is_valid_organisation_number",
    "parse_national_identity_number",
    "validate_national_identity_number",
]
