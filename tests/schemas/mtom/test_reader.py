"""Reading MTOM requests as the peers send them: zeep-style Python clients, CXF, Axis2, Metro."""

from __future__ import annotations

import hashlib
import io
import os
from email.encoders import encode_7or8bit
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from pathlib import Path

import pytest

from schemas.mtom import (
    MessageLimits,
    ReceivedMessage,
    content_id_from_href,
    read_multipart,
)
from schemas.soap import read_envelope
from schemas.xml import parse_xml
from tests.support.mtom import XOP_ROOT, envelope_with_includes, multipart, open_files_under, part

PDF = b"%PDF-1.4\r\n" + bytes(range(256)) + b"\r\n--not-the-boundary\r\n\n--\r\n%%EOF"
CDA = "<ClinicalDocument>Blodtrykk 120/80 – målt i dag</ClinicalDocument>\n".encode()


def includes(message: ReceivedMessage) -> list[str]:
    """The hrefs of the root envelope's `xop:Include`s, after a hardened parse."""
    envelope = read_envelope(parse_xml(message.root))
    return [e.get("href", "") for e in envelope.body.iter("{*}Include")]


def assert_documents(message: ReceivedMessage, expected: list[bytes]) -> None:
    """Every xop:Include resolves to the expected bytes, with size and both hashes right."""
    hrefs = includes(message)
    assert len(hrefs) == len(expected) == len(message.attachments)
    for href, data in zip(hrefs, expected, strict=True):
        attachment = message.attachment(content_id_from_href(href))
        with attachment.open() as stream:
            assert stream.read() == data
        assert attachment.size == len(data)
        assert attachment.sha1 == hashlib.sha1(data).hexdigest()
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()


def test_pymtom_xop_style_zeep_client() -> None:
    """Quoted `uuid:` boundary, bare `start`, `Content-ID:<…>`, no newline at the very end."""
    boundary = "uuid:0eb80abd-bc7e-4839-aacf-c914134ea749"
    content_type = (
        'multipart/related;\n        type="application/xop+xml";\n        start="rootpart@zeep";'
        f'\n        start-info="application/soap+xml";\n        boundary="{boundary}"'
    )
    root = part(
        [XOP_ROOT, "Content-Transfer-Encoding: 8bit", "Content-ID:<rootpart@zeep>"],
        envelope_with_includes(["cid:1688934772.4396@zeep"]),
    )
    pdf = part(
        [
            "Content-Type: application/pdf",
            "Content-Transfer-Encoding: binary",
            "Content-ID: <1688934772.4396@zeep>",
            'Content-Disposition: attachment; name="epikrise.pdf"',
        ],
        PDF,
    )
    body = multipart(boundary, [root, pdf])
    with read_multipart(content_type, io.BytesIO(body)) as message:
        assert message.root_content_type.startswith("application/xop+xml")
        assert_documents(message, [PDF])
        assert message.attachments["1688934772.4396@zeep"].content_type == "application/pdf"


def test_stdlib_email_client_with_lf_lines_and_base64_parts() -> None:
    """What `email.mime` based zeep transports send: LF line ends, `=`-boundary, base64 parts."""
    package = MIMEMultipart("related", type="application/xop+xml", start="<root@zeep>")
    root = MIMEApplication(
        envelope_with_includes(["cid:doc1@zeep", "cid:doc2@zeep"]), "xop+xml", encode_7or8bit
    )
    root.add_header("Content-ID", "<root@zeep>")
    package.attach(root)
    for number, data in enumerate((PDF, CDA), start=1):
        document = MIMEApplication(data)  # base64 by default
        document.add_header("Content-ID", f"<doc{number}@zeep>")
        package.attach(document)
    raw = package.as_bytes()
    head, _, body = raw.partition(b"\n\n")
    assert b"\r\n" not in head
    assert b"Content-Transfer-Encoding: base64" in body
    with read_multipart(package["Content-Type"], io.BytesIO(body)) as message:
        assert_documents(message, [PDF, CDA])


def test_cxf_style_with_leading_crlf_and_percent_encoded_cid() -> None:
    boundary = "uuid:8a5f7a60-6d59-4d2c-9f35-5b6a1cf0c9a1"
    content_type = (
        f'multipart/related; type="application/xop+xml"; boundary="{boundary}"; '
        'start="<root.message@cxf.apache.org>"; start-info="application/soap+xml"; '
        'action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"'
    )
    root = part(
        [
            XOP_ROOT + '; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"',
            "Content-Transfer-Encoding: binary",
            "Content-ID: <root.message@cxf.apache.org>",
        ],
        envelope_with_includes(["cid:3a5c0f44-1e1b-4c53-9d4b-2f3e5a6b7c8d-1%40ihe.net"]),
    )
    document = part(
        [
            "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: binary",
            "Content-ID: <3a5c0f44-1e1b-4c53-9d4b-2f3e5a6b7c8d-1@ihe.net>",
        ],
        CDA,
    )
    body = b"\r\n" + multipart(boundary, [root, document])
    with read_multipart(content_type, io.BytesIO(body)) as message:
        assert_documents(message, [CDA])


def test_axis2_style_unquoted_boundary_and_urn_content_ids() -> None:
    boundary = "MIMEBoundary_urn_uuid_C7B2F8A0B1E84B6A9D1213141516171"
    content_type = (
        f'multipart/related; boundary={boundary}; type="application/xop+xml"; '
        'start="<0.urn:uuid:C7B2F8A0B1E84B6A9D1213141516172@apache.org>"; '
        'start-info="application/soap+xml"; action="urn:ihe:iti:2007:RetrieveDocumentSet"'
    )
    root = part(
        [
            XOP_ROOT,
            "Content-Transfer-Encoding: binary",
            "Content-ID: <0.urn:uuid:C7B2F8A0B1E84B6A9D1213141516172@apache.org>",
        ],
        envelope_with_includes(
            [
                "cid:1.urn:uuid:C7B2F8A0B1E84B6A9D1213141516173@apache.org",
                "cid:2.urn:uuid:C7B2F8A0B1E84B6A9D1213141516174@apache.org",
            ]
        ),
    )
    parts = [root]
    for number, data in enumerate((CDA, PDF), start=1):
        content_id = f"{number}.urn:uuid:C7B2F8A0B1E84B6A9D121314151617{number + 2}@apache.org"
        parts.append(
            part(
                [
                    "Content-Type: text/xml" if data is CDA else "Content-Type: application/pdf",
                    "Content-Transfer-Encoding: binary",
                    f"Content-ID: <{content_id}>",
                ],
                data,
            )
        )
    with read_multipart(content_type, io.BytesIO(multipart(boundary, parts) + b"\r\n")) as message:
        assert_documents(message, [CDA, PDF])


def test_metro_style_content_id_casing_and_root_after_the_attachment() -> None:
    """`Content-Id`, a `*` in the root id, and `start` naming a part that is not the first."""
    boundary = "uuid:b0ef6adc-44fa-47ba-a7a7-95915eb54d9e"
    root_id = "rootpart*b0ef6adc-44fa-47ba-a7a7-95915eb54d9e@example.jaxws.sun.com"
    content_type = (
        f'multipart/related;start="<{root_id}>";type="application/xop+xml";'
        f'boundary="{boundary}";start-info="application/soap+xml"'
    )
    document = part(
        ["Content-Id: <2f3a859b@example.jaxws.sun.com>", "Content-Type: application/pdf"], PDF
    )
    root = part(
        [f"Content-Id: <{root_id}>", XOP_ROOT, "Content-Transfer-Encoding: binary"],
        envelope_with_includes(["cid:2f3a859b@example.jaxws.sun.com"]),
    )
    with read_multipart(content_type, io.BytesIO(multipart(boundary, [document, root]))) as message:
        assert_documents(message, [PDF])


@pytest.mark.parametrize("newline", [b"\r\n", b"\n"], ids=["crlf", "lf"])
def test_preamble_epilogue_padding_and_bare_content_ids(newline: bytes) -> None:
    """No `start` (the first part is the root), Content-IDs without brackets, transport padding."""
    root = part([XOP_ROOT], envelope_with_includes(["cid:doc@x"]), newline)
    document = part(["Content-ID: doc@x"], CDA, newline)
    body = multipart(
        "grense",
        [root, document],
        newline=newline,
        preamble=b"This is a multi-part message in MIME format.",
        epilogue=b"trailing words that are ignored" + newline,
    )
    body = body.replace(
        b"--grense" + newline + b"Content-ID", b"--grense \t" + newline + b"Content-ID"
    )
    content_type = 'multipart/related; type="application/xop+xml"; boundary=grense'
    with read_multipart(content_type, io.BytesIO(body)) as message:
        assert_documents(message, [CDA])


def test_a_boundary_followed_by_other_bytes_is_content() -> None:
    tricky = b"before\r\n--grenseX not a delimiter\r\n--grens\r\nafter"
    root = part([XOP_ROOT], envelope_with_includes(["cid:doc@x"]))
    body = multipart("grense", [root, part(["Content-ID: <doc@x>"], tricky)])
    content_type = 'multipart/related; type="application/xop+xml"; boundary="grense"'
    with read_multipart(content_type, io.BytesIO(body), MessageLimits(chunk_size=5)) as message:
        assert_documents(message, [tricky])


def test_empty_attachment_and_tiny_read_chunks() -> None:
    root = part([XOP_ROOT], envelope_with_includes(["cid:empty@x", "cid:doc@x"]))
    parts = [root, part(["Content-ID: <empty@x>"], b""), part(["Content-ID: <doc@x>"], PDF)]
    content_type = 'multipart/related; type="application/xop+xml"; boundary=b'
    body = io.BytesIO(multipart("b", parts))
    with read_multipart(content_type, body, MessageLimits(chunk_size=1)) as message:
        assert_documents(message, [b"", PDF])


def test_memory_budget_spills_to_one_unlinked_file_that_close_releases(tmp_path: Path) -> None:
    documents = [os.urandom(3000), os.urandom(3000), os.urandom(10)]
    hrefs = [f"cid:d{n}@x" for n in range(3)]
    parts = [part([XOP_ROOT], envelope_with_includes(hrefs))]
    parts += [part([f"Content-ID: <d{n}@x>"], data) for n, data in enumerate(documents)]
    limits = MessageLimits(spool_threshold=4000, spool_dir=str(tmp_path), chunk_size=512)
    content_type = "multipart/related; boundary=b"
    message = read_multipart(content_type, io.BytesIO(multipart("b", parts)), limits)
    with message:
        assert [a.in_memory for a in message.attachments.values()] == [True, False, True]
        assert_documents(message, documents)
        assert len(open_files_under(tmp_path)) == 1
        assert list(tmp_path.iterdir()) == []  # created unlinked: nothing to leave behind
        reader = message.attachment("d1@x").open()
    assert open_files_under(tmp_path) != []  # a reader opened before close keeps working
    assert reader.read() == documents[1]
    reader.close()
    assert open_files_under(tmp_path) == []
    with pytest.raises(ValueError, match="closed"):
        message.attachment("d0@x").open()


def test_independent_readers_and_seeking(tmp_path: Path) -> None:
    data = os.urandom(100_000)
    parts = [
        part([XOP_ROOT], envelope_with_includes(["cid:d@x"])),
        part(["Content-ID: <d@x>"], data),
    ]
    limits = MessageLimits(spool_threshold=0, spool_dir=str(tmp_path))
    with read_multipart(
        "multipart/related; boundary=b", io.BytesIO(multipart("b", parts)), limits
    ) as m:
        first, second = m.attachment("d@x").open(), m.attachment("d@x").open()
        with first, second:
            assert first.read(10) == data[:10]
            assert second.read(20) == data[:20]
            first.seek(-5, io.SEEK_END)
            assert first.read() == data[-5:]
            assert second.read() == data[20:]


def test_a_refused_message_releases_what_it_spooled(tmp_path: Path) -> None:
    parts = [
        part([XOP_ROOT], envelope_with_includes([])),
        part(["Content-ID: <d@x>"], os.urandom(5000)),
    ]
    body = multipart("b", parts)[:-8]  # cut inside the close delimiter
    limits = MessageLimits(spool_threshold=0, spool_dir=str(tmp_path))
    with pytest.raises(ValueError, match="mime_unterminated"):
        read_multipart("multipart/related; boundary=b", io.BytesIO(body), limits)
    assert open_files_under(tmp_path) == []


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 8, 13, 64, 4096])
@pytest.mark.parametrize("newline", [b"\r\n", b"\n"], ids=["crlf", "lf"])
def test_every_read_size_splits_the_same_way(chunk_size: int, newline: bytes) -> None:
    """Near-miss delimiters at every offset relative to the read chunks."""
    boundary = "=_grense_42"
    misses = [newline + b"--" + boundary[:n].encode() for n in range(len(boundary))]
    tricky = b"\r".join(misses) + b"\n--=_grense_42X" + newline + b"-" + newline
    documents = [tricky, tricky[::-1], b"\r"]
    hrefs = [f"cid:d{n}@x" for n in range(len(documents))]
    parts = [part([XOP_ROOT], envelope_with_includes(hrefs), newline)]
    parts += [part([f"Content-ID: <d{n}@x>"], d, newline) for n, d in enumerate(documents)]
    body = multipart(boundary, parts, newline=newline)
    limits = MessageLimits(chunk_size=chunk_size, spool_threshold=100)
    content_type = f'multipart/related; boundary="{boundary}"'
    with read_multipart(content_type, io.BytesIO(body), limits) as message:
        assert_documents(message, documents)
