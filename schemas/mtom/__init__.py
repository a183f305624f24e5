"""MTOM/XOP (`multipart/related`) messages: streaming reader, spooled attachments, streaming writer.

Read side: `read_multipart(content_type, body, limits)` → `ReceivedMessage` (root XML bytes plus
`Attachment`s keyed by bare Content-ID; a context manager that removes spooled data on close).
Write side: `write_mtom(root, attachments, action=...)` → `MtomBody` (Content-Type and chunks).
The codec contract for `xop:Include`: parse side `attachment(content_id) -> DocumentContent`
(`ReceivedMessage.attachment`, `SoapRequest.attachment`), build side
`attach(content) -> content_id | None` (`OutgoingAttachments.attach`). See docs/mtom.md.
"""

from schemas.mtom.attachment import (
    OCTET_STREAM,
    Attachment,
    AttachmentSpool,
    decode_base64_chunks,
    find_attachment,
)
from schemas.mtom.headers import (
    MULTIPART_RELATED,
    XOP_CONTENT_TYPE,
    bare_content_id,
    cid_href,
    content_id_from_href,
)
from schemas.mtom.limits import (
    DEFAULT_MESSAGE_LIMITS,
    MessageLimits,
    MultipartReason,
    MultipartRefused,
)
from schemas.mtom.reader import ReceivedMessage, read_multipart
from schemas.mtom.scanner import ReadableBody
from schemas.mtom.writer import (
    MtomBody,
    OutgoingAttachment,
    OutgoingAttachments,
    StreamedContent,
    new_content_id,
    write_mtom,
)

__all__ = [
    "DEFAULT_MESSAGE_LIMITS",
    "MULTIPART_RELATED",
    "OCTET_STREAM",
    "XOP_CONTENT_TYPE",
    "Attachment",
    "AttachmentSpool",
    "MessageLimits",
    "MtomBody",
    "MultipartReason",
    "MultipartRefused",
    "OutgoingAttachment",
    "OutgoingAttachments",
    "ReadableBody",
    "ReceivedMessage",
    "StreamedContent",
    "bare_content_id",
    "cid_href",
    "content_id_from_href",
    "decode_base64_chunks",
    "find_attachment",
    "new_content_id",
    "read_multipart",
    "write_mtom",
]
