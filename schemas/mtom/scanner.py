"""Splits a `multipart` body at its boundary delimiters, reading the stream in bounded chunks.

The scanner never holds more than one read chunk plus a delimiter's length of the body (and one
part's header block). Lines end in CRLF as RFC 2046 says; a body whose first delimiter line ends in
a bare LF is read with LF delimiters throughout. Transport padding after a delimiter is accepted; a
boundary followed by anything else is not a delimiter and stays content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from schemas.mtom.limits import MessageLimits, MultipartReason, MultipartRefused

_CLOSE = -1
_PADDING = b" \t"


class ReadableBody(Protocol):
    """Anything with `read(n)`: a WSGI input stream, a file, a socket file object."""

    def read(self, size: int, /) -> bytes: ...


class BoundaryScanner:
    """Reads a multipart body part by part: `start`, then `part_headers` and `part_body` in turn."""

    def __init__(self, body: ReadableBody, boundary: bytes, limits: MessageLimits) -> None:
        self._body = body
        self._dash_boundary = b"--" + boundary
        self._delimiter = b"\r\n" + self._dash_boundary
        self._limits = limits
        self._buffer = bytearray()
        self._received = 0
        self._eof = False
        self.finished = False

    def start(self) -> None:
        """Skip the preamble up to the first delimiter line; refuse a body without a part."""
        at_start = True
        while True:
            position = self._first_boundary(at_start)
            if position is not None:
                break
            keep = len(self._dash_boundary) + 1
            if len(self._buffer) > keep:
                del self._buffer[: len(self._buffer) - keep]
                at_start = False
            if not self._fill():
                raise MultipartRefused(
                    MultipartReason.ROOT_PART_MISSING, "the body has no boundary delimiter line"
                )
        if position == _CLOSE:
            raise MultipartRefused(MultipartReason.ROOT_PART_MISSING, "the body has no parts")
        newline = b"\r\n" if self._buffer[position - 2 : position] == b"\r\n" else b"\n"
        self._delimiter = newline + self._dash_boundary
        del self._buffer[:position]

    def part_headers(self) -> list[str]:
        """The current part's header lines, unfolded, within the header size and count limits."""
        lines: list[str] = []
        budget = self._limits.max_part_header_bytes
        while (line := self._line(budget)) is not None:
            budget -= len(line) + 2
            text = line.decode("latin-1").rstrip("\r")
            if not text:
                return lines
            if text[0] in " \t" and lines:
                lines[-1] += " " + text.strip()
                continue
            lines.append(text)
            if len(lines) > self._limits.max_part_headers:
                raise MultipartRefused(
                    MultipartReason.TOO_MANY_HEADERS,
                    f"a part has more than {self._limits.max_part_headers} headers",
                )
        raise _unterminated()

    def part_body(self) -> Iterator[bytes]:
        """The current part's bytes in chunks, up to the next delimiter (sets `finished`)."""
        delimiter = self._delimiter
        search_from = 0
        while True:
            found = self._buffer.find(delimiter, search_from)
            if found < 0:
                safe = len(self._buffer) - len(delimiter) + 1
                if safe > 0:
                    yield bytes(self._buffer[:safe])
                    del self._buffer[:safe]
                search_from = 0
                if not self._fill():
                    raise _unterminated()
                continue
            after = self._after_boundary(found + len(delimiter))
            if after is None:
                search_from = found + 1
                continue
            if found:
                yield bytes(self._buffer[:found])
            self.finished = after == _CLOSE
            del self._buffer[: found if self.finished else after]
            return

    def _first_boundary(self, at_start: bool) -> int | None:
        """Where the first part starts (or `_CLOSE`), None when more data is needed."""
        dash = self._dash_boundary
        found = self._buffer.find(dash)
        while found >= 0:
            if (found == 0 and at_start) or (found > 0 and self._buffer[found - 1] == 0x0A):
                after = self._after_boundary(found + len(dash))
                if after is not None:
                    return after
            found = self._buffer.find(dash, found + 1)
        return None

    def _after_boundary(self, position: int) -> int | None:
        """After a boundary at `position`: where the next part starts, `_CLOSE` for the close
        delimiter, None when the boundary is followed by other bytes (so it is not a delimiter)."""
        limit = self._limits.max_part_header_bytes
        while True:
            tail = bytes(self._buffer[position : position + limit + 2])
            if tail.startswith(b"--"):
                return _CLOSE
            rest = tail.lstrip(_PADDING)
            padding = len(tail) - len(rest)
            if rest.startswith(b"\r\n"):
                return position + padding + 2
            if rest.startswith(b"\n"):
                return position + padding + 1
            if rest not in (b"", b"\r") and tail != b"-":
                return None
            if padding >= limit:
                raise MultipartRefused(
                    MultipartReason.HEADER_TOO_LARGE, "a delimiter line is too long"
                )
            if not self._fill():
                raise _unterminated()

    def _line(self, budget: int) -> bytes | None:
        """One line (without its LF) from the buffer, None at the end of the body."""
        while (end := self._buffer.find(b"\n")) < 0:
            if len(self._buffer) > budget:
                raise _header_too_large(self._limits)
            if not self._fill():
                return None
        if end > budget:
            raise _header_too_large(self._limits)
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return line

    def _fill(self) -> bool:
        """Append one chunk of the body to the buffer; False at its end."""
        if self._eof:
            return False
        room = self._limits.max_message_bytes - self._received
        chunk = self._body.read(min(self._limits.chunk_size, room + 1))
        if not chunk:
            self._eof = True
            return False
        self._received += len(chunk)
        if self._received > self._limits.max_message_bytes:
            raise MultipartRefused(
                MultipartReason.MESSAGE_TOO_LARGE,
                f"the message is larger than {self._limits.max_message_bytes} bytes",
            )
        self._buffer += chunk
        return True


def _unterminated() -> MultipartRefused:
    return MultipartRefused(
        MultipartReason.UNTERMINATED, "the body ends before the closing boundary delimiter"
    )


def _header_too_large(limits: MessageLimits) -> MultipartRefused:
    return MultipartRefused(
        MultipartReason.HEADER_TOO_LARGE,
        f"a part's headers are larger than {limits.max_part_header_bytes} bytes",
    )
