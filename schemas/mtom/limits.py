"""Bounds for one received SOAP message, and the refusals that enforce them and MIME syntax.

Every refusal is a `MultipartRefused` with its own `MultipartReason`; the endpoint answers it with a
SOAP Sender Fault, HTTP 413 for the two size reasons and 400 for everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemas.xml import DEFAULT_LIMITS

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageLimits:
    """How much of a request dokdeling accepts, and where attachments go while it is read.

    `spool_threshold` is the memory budget of one message's attachments: a part stays in memory
    while the message's in-memory attachment bytes stay at or below it, and spills to a temporary
    file in `spool_dir` (the system temp dir when None) past it.
    """

    max_message_bytes: int = 2 * GIB
    max_root_bytes: int = DEFAULT_LIMITS.max_bytes
    max_attachments: int = 1000
    max_part_header_bytes: int = 16 * KIB
    max_part_headers: int = 32
    spool_threshold: int = 4 * MIB
    spool_dir: str | None = None
    chunk_size: int = 64 * KIB

    def __post_init__(self) -> None:
        for name in ("max_message_bytes", "max_root_bytes", "max_part_header_bytes", "chunk_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"MessageLimits.{name} must be positive")
        if self.max_attachments < 0 or self.max_part_headers < 1 or self.spool_threshold < 0:
            raise ValueError("MessageLimits counts and the spool threshold must not be negative")


DEFAULT_MESSAGE_LIMITS = MessageLimits()


class MultipartReason(StrEnum):
    CONTENT_TYPE_INVALID = "mime_content_type_invalid"
    BOUNDARY_MISSING = "mime_boundary_missing"
    BOUNDARY_INVALID = "mime_boundary_invalid"
    ROOT_TYPE_UNSUPPORTED = "mime_root_type_unsupported"
    ROOT_PART_MISSING = "mime_root_part_missing"
    START_PART_MISSING = "mime_start_part_missing"
    UNTERMINATED = "mime_unterminated"
    HEADER_MALFORMED = "mime_header_malformed"
    HEADER_TOO_LARGE = "mime_header_too_large"
    TOO_MANY_HEADERS = "mime_too_many_headers"
    CONTENT_ID_MISSING = "mime_content_id_missing"
    CONTENT_ID_DUPLICATE = "mime_content_id_duplicate"
    TRANSFER_ENCODING_UNSUPPORTED = "mime_transfer_encoding_unsupported"
    BASE64_INVALID = "base64_invalid"
    XOP_HREF_INVALID = "xop_href_invalid"
    XOP_UNKNOWN_CONTENT_ID = "xop_unknown_content_id"
    TOO_MANY_ATTACHMENTS = "mime_too_many_attachments"
    ROOT_TOO_LARGE = "mime_root_too_large"
    MESSAGE_TOO_LARGE = "mime_message_too_large"


_TOO_LARGE = frozenset({MultipartReason.ROOT_TOO_LARGE, MultipartReason.MESSAGE_TOO_LARGE})


class MultipartRefused(ValueError):
    """A message (MIME package, XOP reference or base64 text) dokdeling refuses, and why."""

    def __init__(self, reason: MultipartReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail

    @property
    def http_status(self) -> int:
        """413 when the message is too large, 400 when it is malformed or over a count limit."""
        return 413 if self.reason in _TOO_LARGE else 400
