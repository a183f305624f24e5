"""Attachments from inline base64: decoded in chunks into the spool, counted and hashed."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from schemas.model.messages import DocumentContent
from schemas.mtom import (
    AttachmentSpool,
    MessageLimits,
    MultipartReason,
    MultipartRefused,
    decode_base64_chunks,
)

DATA = os.urandom(50_000)


def test_inline_base64_is_decoded_in_chunks_and_spilled_past_the_budget(tmp_path: Path) -> None:
    text = base64.encodebytes(DATA).decode("ascii")  # MIME style: a line break every 76 chars
    limits = MessageLimits(chunk_size=7, spool_threshold=10_000, spool_dir=str(tmp_path))
    with AttachmentSpool(limits) as spool:
        attachment = spool.decode_base64("\n  " + text + "  \n", content_id="Document01")
        assert isinstance(attachment, DocumentContent)
        assert not attachment.in_memory
        assert attachment.content_id == "Document01"
        assert attachment.content_type == "application/octet-stream"
        assert attachment.size == len(DATA)
        assert attachment.sha1 == hashlib.sha1(DATA).hexdigest()
        assert attachment.sha256 == hashlib.sha256(DATA).hexdigest()
        with attachment.open() as stream:
            assert stream.read() == DATA
    with pytest.raises(ValueError, match="closed"):
        attachment.open()


def test_small_inline_documents_stay_in_memory() -> None:
    with AttachmentSpool() as spool:
        empty = spool.decode_base64("")
        short = spool.decode_base64("QQ==")
        assert (empty.size, empty.sha1) == (0, hashlib.sha1(b"").hexdigest())
        assert short.in_memory
        assert short.open().read() == b"A"


@pytest.mark.parametrize(
    "text",
    ["QUJD!!!!", "QUJDRA", "QQ==QQ==", "QQ== QUJD", "QUJDé===", "=QUJ"],
    ids=["garbage", "cut group", "after padding", "after padding apart", "non-ascii", "lead pad"],
)
def test_invalid_base64_is_refused(text: str) -> None:
    with (
        AttachmentSpool(MessageLimits(chunk_size=4)) as spool,
        pytest.raises(MultipartRefused) as refused,
    ):
        spool.decode_base64(text)
    assert refused.value.reason is MultipartReason.BASE64_INVALID
    assert refused.value.http_status == 400


def test_the_chunk_decoder_handles_groups_split_anywhere() -> None:
    text = base64.b64encode(DATA[:1000])
    pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
    assert b"".join(decode_base64_chunks(pieces)) == DATA[:1000]


def test_a_closed_spool_stores_nothing() -> None:
    spool = AttachmentSpool()
    spool.close()
    assert spool.closed
    with pytest.raises(ValueError, match="closed"):
        spool.store([b"x"], content_id="x", content_type="text/plain")
