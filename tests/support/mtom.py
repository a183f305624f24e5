"""MTOM request bodies as peers send them, built by hand, and a body that is generated on demand."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from schemas import vocabulary as v
from schemas.soap import build_request

ECHO_ACTION = "urn:example:Echo"
XOP_ROOT = 'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"'


def envelope_with_includes(hrefs: Sequence[str], action: str = ECHO_ACTION) -> bytes:
    """A SOAP 1.2 request whose body holds one `Document` with an `xop:Include` per href."""
    payload = etree.Element(f"{{{v.NS_XDSB}}}ProvideAndRegisterDocumentSetRequest")
    for number, href in enumerate(hrefs, start=1):
        document = etree.SubElement(payload, f"{{{v.NS_XDSB}}}Document", id=f"Document{number}")
        etree.SubElement(document, f"{{{v.NS_XOP}}}Include", href=href)
    return build_request(action, payload)


def part(headers: Sequence[str], content: bytes, newline: bytes = b"\r\n") -> bytes:
    """One MIME part (headers, blank line, content) without its delimiter."""
    head = newline.join(h.encode("ascii") for h in headers)
    return head + newline + newline + content


def multipart(
    boundary: str,
    parts: Sequence[bytes],
    *,
    newline: bytes = b"\r\n",
    preamble: bytes = b"",
    epilogue: bytes = b"",
) -> bytes:
    """A multipart body: optional preamble, delimited parts, close delimiter, optional epilogue."""
    dash = b"--" + boundary.encode("ascii")
    body = preamble + newline if preamble else b""
    body += dash + newline + (newline + dash + newline).join(parts)
    return body + newline + dash + b"--" + (newline + epilogue if epilogue else b"")


def open_files_under(directory: Path) -> list[str]:
    """Files under `directory` this process holds open (spool files are unlinked, so not listed)."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(FileNotFoundError):  # the descriptor listdir itself used
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [t for t in targets if t.startswith(str(directory))]


class GeneratedBody:
    """A request body produced on demand from `head`, `size` generated document bytes and `tail`.

    The document bytes repeat a 1 MiB pseudo-random block stamped with its index, with near-miss
    delimiters (a cut boundary, or the boundary and a letter) across read-chunk borders. SHA-1,
    SHA-256 and the count of the document bytes are computed while they are produced.
    """

    BLOCK = 1024 * 1024

    def __init__(self, head: bytes, size: int, tail: bytes, boundary: bytes) -> None:
        block = bytearray(hashlib.shake_256(b"dokdeling").digest(self.BLOCK))
        near_misses = (b"\r\n--" + boundary[:-1] + b"\x00", b"\r\n--" + boundary + b"X")
        for number, border in enumerate(range(64 * 1024, self.BLOCK, 64 * 1024)):
            near_miss = near_misses[number % 2]
            start = border - len(near_miss) // 2
            block[start : start + len(near_miss)] = near_miss
        self._block = bytes(block)
        self.sha1 = hashlib.sha1(usedforsecurity=False)
        self.sha256 = hashlib.sha256()
        self.produced = 0
        self._segments = self._generate(head, size, tail)
        self._pending = memoryview(b"")

    def _generate(self, head: bytes, size: int, tail: bytes) -> Iterator[bytes]:
        yield head
        index = 0
        while self.produced < size:
            block = index.to_bytes(8, "big") + self._block[8:]
            block = block[: size - self.produced]
            self.sha1.update(block)
            self.sha256.update(block)
            self.produced += len(block)
            index += 1
            yield block
        yield tail

    def read(self, size: int, /) -> bytes:
        while not self._pending:
            segment = next(self._segments, None)
            if segment is None:
                return b""
            self._pending = memoryview(segment)
        data = bytes(self._pending[:size])
        self._pending = self._pending[size:]
        return data
