"""A 1 GiB document is received with bounded memory: the body is generated while it is read."""

from __future__ import annotations

import hashlib
import resource
import tracemalloc
from pathlib import Path

import pytest

from schemas.mtom import MessageLimits, read_multipart
from tests.support.mtom import (
    XOP_ROOT,
    GeneratedBody,
    envelope_with_includes,
    open_files_under,
    part,
)

GIB = 1024**3
MEMORY_GROWTH_LIMIT = 50 * 1024 * 1024


@pytest.mark.slow
def test_a_1_gib_attachment_is_parsed_with_bounded_memory(tmp_path: Path) -> None:
    boundary = b"MIMEBoundary_urn_uuid_5F3C2A1B0E9D8C7B6A5F4E3D2C1B0A99"
    dash = b"--" + boundary
    root = part([XOP_ROOT, "Content-ID: <root@x>"], envelope_with_includes(["cid:stor-ct@x"]))
    head = dash + b"\r\n" + root + b"\r\n" + dash + b"\r\nContent-ID: <stor-ct@x>\r\n\r\n"
    body = GeneratedBody(head, GIB, b"\r\n" + dash + b"--\r\n", boundary)
    content_type = f'multipart/related; type="application/xop+xml"; boundary={boundary.decode()}'

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        with read_multipart(content_type, body, MessageLimits(spool_dir=str(tmp_path))) as message:
            attachment = message.attachment("stor-ct@x")
            assert not attachment.in_memory
            assert attachment.size == body.produced == GIB
            assert attachment.sha1 == body.sha1.hexdigest()
            assert attachment.sha256 == body.sha256.hexdigest()
            stored = hashlib.sha256()
            with attachment.open() as stream:
                while chunk := stream.read(1024 * 1024):
                    stored.update(chunk)
            assert stored.hexdigest() == body.sha256.hexdigest()
            assert len(open_files_under(tmp_path)) == 1
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before

    assert traced_peak < MEMORY_GROWTH_LIMIT
    assert rss_growth < MEMORY_GROWTH_LIMIT
    assert open_files_under(tmp_path) == []
    assert list(tmp_path.iterdir()) == []
