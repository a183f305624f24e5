"""The generated PDFs: a well-formed file (header, objects where the xref says, trailer)."""

from __future__ import annotations

import re

from dokdeling.synthetic.pdf import pdf_parts, text_pdf


def _xref_offsets(pdf: bytes) -> list[int]:
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf)[1])  # type: ignore[index]
    assert pdf[start:].startswith(b"xref\n0 8\n")
    entries = pdf[start:].split(b"\n")[3:10]
    return [int(entry[:10]) for entry in entries]


def test_every_object_is_where_the_cross_reference_table_says() -> None:
    pdf = text_pdf("Epikrise (utskrivning)", ["Blåbær og rømme", "Back\\slash"])
    assert pdf.startswith(b"%PDF-1.4\n")
    for number, offset in enumerate(_xref_offsets(pdf), start=1):
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"(Epikrise \\(utskrivning\\)) Tj" in pdf
    assert "Blåbær".encode("cp1252") in pdf
    assert b"(Back\\\\slash) Tj" in pdf


def test_the_content_stream_length_is_exact() -> None:
    pdf = text_pdf("Tittel", ["linje"] * 40)
    match = re.search(rb"<< /Length (\d+) >>\nstream\n", pdf)
    assert match is not None
    end = match.end() + int(match[1])
    assert pdf[end:].startswith(b"\nendstream")


def test_padding_makes_the_file_at_least_the_size_asked_and_keeps_it_valid() -> None:
    for size in (1024, 100 * 1024, 1024 * 1024):
        pdf = text_pdf("Stor", ["tekst"], pad_to=size)
        assert size <= len(pdf) < size + 200
        for number, offset in enumerate(_xref_offsets(pdf), start=1):
            assert pdf[offset:].startswith(b"%d 0 obj\n" % number)


def test_the_parts_of_a_large_pdf_stream_the_same_bytes_in_bounded_chunks() -> None:
    parts = pdf_parts("Stor epikrise", ["tekst"], pad_to=5 * 1024 * 1024 + 17)
    chunks = list(parts.chunks(chunk_size=64 * 1024))
    assert max(len(c) for c in chunks) <= 64 * 1024
    joined = b"".join(chunks)
    assert len(joined) == parts.size >= 5 * 1024 * 1024 + 17
    assert joined == text_pdf("Stor epikrise", ["tekst"], pad_to=5 * 1024 * 1024 + 17)
    for number, offset in enumerate(_xref_offsets(joined), start=1):
        assert joined[offset:].startswith(b"%d 0 obj\n" % number)
