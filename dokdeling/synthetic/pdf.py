"""Small, valid PDF 1.4 documents of text, written directly (one page, Helvetica, WinAnsi).

Enough for synthetic clinical documents: a bold title and lines of body text, with Norwegian
letters. `pad_to` grows the file to a given size with PDF comment lines (valid anywhere between
objects), for benchmarks that need documents of a known size.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_PAGE_WIDTH, _PAGE_HEIGHT = 595, 842  # A4 in points
_MARGIN = 56
_WRAP = 88
_LEADING = 14
_PADDING_LINE = b"% " + b"dokdeling synthetic padding " * 3 + b"\n"


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), with `\\`, `(` and `)` escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content(title: str, lines: Sequence[str]) -> bytes:
    top = _PAGE_HEIGHT - _MARGIN
    body = [b"BT /F2 15 Tf %d %d Td " % (_MARGIN, top) + _pdf_string(title) + b" Tj ET"]
    body.append(b"BT /F1 10.5 Tf %d %d Td %d TL" % (_MARGIN, top - 32, _LEADING))
    for line in lines:
        for piece in textwrap.wrap(line, _WRAP) or [""]:
            body.append(_pdf_string(piece) + b" Tj T*")
    body.append(b"ET")
    return b"\n".join(body)


def _objects(title: str, lines: Sequence[str]) -> list[bytes]:
    content = _content(title, lines)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        % (_PAGE_WIDTH, _PAGE_HEIGHT),
        font % b"Helvetica",
        font % b"Helvetica-Bold",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Title " + _pdf_string(title) + b" /Producer (dokdeling synthetic data) >>",
    ]


@dataclass(frozen=True, slots=True)
class PdfParts:
    """A PDF as head, `padding` bytes of comment lines, and tail, for writing it as a stream."""

    head: bytes
    padding: int
    tail: bytes

    @property
    def size(self) -> int:
        return len(self.head) + self.padding + len(self.tail)

    def chunks(self, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        """The file's bytes, a chunk at a time (never more than one chunk in memory)."""
        yield self.head
        block = _PADDING_LINE * max(1, chunk_size // len(_PADDING_LINE))
        remaining = self.padding
        while remaining:
            piece = block[: min(remaining, len(block))]
            remaining -= len(piece)
            yield piece
        yield self.tail


def pdf_parts(title: str, lines: Sequence[str], *, pad_to: int = 0) -> PdfParts:
    """The parts of a one-page PDF with `title` and `lines`, at least `pad_to` bytes long."""
    head = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(_objects(title, lines), start=1):
        offsets.append(len(head))
        head += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    missing = pad_to - len(head) - len(_trailer(offsets, pad_to))
    padding = 0
    if missing > 0:
        padding = (missing // len(_PADDING_LINE) + 1) * len(_PADDING_LINE)
    return PdfParts(bytes(head), padding, _trailer(offsets, len(head) + padding))


def text_pdf(title: str, lines: Sequence[str], *, pad_to: int = 0) -> bytes:
    """A one-page PDF with `title` and `lines`; at least `pad_to` bytes long when given."""
    return b"".join(pdf_parts(title, lines, pad_to=pad_to).chunks())


def _trailer(offsets: Sequence[int], xref: int) -> bytes:
    """The cross-reference table at `xref`, the trailer and `startxref`."""
    count = len(offsets) + 1
    return b"".join(
        [
            b"xref\n0 %d\n0000000000 65535 f \n" % count,
            *(b"%010d 00000 n \n" % offset for offset in offsets),
            b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (count, len(offsets)),
            b"startxref\n%d\n%%%%EOF\n" % xref,
        ]
    )
