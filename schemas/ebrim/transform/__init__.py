"""Symmetric mapping between generic ebRIM 3.0 objects (`schemas.ebrim.rim`) and `schemas.model`.

Reading is total (odd values are kept raw or become None, never an exception), because it runs
after `schemas.validation` has judged the rim objects. Writing gives every Classification and
ExternalIdentifier a deterministic `urn:uuid:` id, so a round trip is stable.
"""

from schemas.ebrim.transform.association import association_from_rim, association_to_rim
from schemas.ebrim.transform.author import author_from_rim, author_to_rim
from schemas.ebrim.transform.codes import code_from_rim, code_to_rim
from schemas.ebrim.transform.common import child_id, slots_from_rim, slots_to_rim
from schemas.ebrim.transform.document_entry import document_entry_from_rim, document_entry_to_rim
from schemas.ebrim.transform.folder import folder_from_rim, folder_to_rim
from schemas.ebrim.transform.metadata import metadata_from_rim, metadata_to_rim
from schemas.ebrim.transform.submission_set import submission_set_from_rim, submission_set_to_rim

__all__ = [
    "association_from_rim",
    "association_to_rim",
    "author_from_rim",
    "author_to_rim",
    "child_id",
    "code_from_rim",
    "code_to_rim",
    "document_entry_from_rim",
    "document_entry_to_rim",
    "folder_from_rim",
    "folder_to_rim",
    "metadata_from_rim",
    "metadata_to_rim",
    "slots_from_rim",
    "slots_to_rim",
    "submission_set_from_rim",
    "submission_set_to_rim",
]
