"""A minimal keep-alive HTTP/1.1 client for load generation: requests are prepared as bytes once,
and a response is read with as little Python as possible, so the client takes little of the CPU
the server needs on a small machine."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

_HEAD_END = b"\r\n\r\n"


@dataclass(frozen=True, slots=True)
class Target:
    host: str
    port: int
    path: str

    @classmethod
    def of(cls, url: str) -> Target:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/")


def prepare(target: Target, body: bytes, headers: dict[str, str], method: str = "POST") -> bytes:
    """The request's bytes: request line, headers, Content-Length and body."""
    lines = [f"{method} {target.path} HTTP/1.1", f"Host: {target.host}:{target.port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection:
    """One persistent connection; reconnects when the server closed it."""

    def __init__(self, target: Target) -> None:
        self._target = target
        self._socket: socket.socket | None = None
        self._buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self._target.host, self._target.port), timeout=120)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""
        return sock

    def request(self, raw: bytes) -> tuple[int, bytes, bytes]:
        """Send `raw`; (status, header block, body)."""
        if self._socket is None:
            self._socket = self._connect()
        try:
            self._socket.sendall(raw)
            return self._response(self._socket)
        except OSError:
            self.close()
            raise

    def _read_until(self, sock: socket.socket, marker: bytes) -> int:
        while (index := self._buffer.find(marker)) < 0:
            data = sock.recv(262144)
            if not data:
                raise ConnectionError("the server closed the connection")
            self._buffer += data
        return index

    def _read_exactly(self, sock: socket.socket, size: int) -> bytes:
        while len(self._buffer) < size:
            data = sock.recv(max(262144, size - len(self._buffer)))
            if not data:
                raise ConnectionError("the server closed the connection")
            self._buffer += data
        piece, self._buffer = self._buffer[:size], self._buffer[size:]
        return piece

    def _response(self, sock: socket.socket) -> tuple[int, bytes, bytes]:
        end = self._read_until(sock, _HEAD_END)
        head, self._buffer = self._buffer[:end], self._buffer[end + len(_HEAD_END) :]
        status = int(head[9:12])
        lower = head.lower() + b"\r\n"
        if b"transfer-encoding: chunked" in lower:
            body = self._chunked(sock)
        else:
            start = lower.find(b"content-length:")
            length = int(lower[start + 15 : lower.find(b"\r\n", start)]) if start >= 0 else 0
            body = self._read_exactly(sock, length)
        if b"connection: close" in lower:
            self.close()
        return status, head, body

    def _chunked(self, sock: socket.socket) -> bytes:
        pieces = []
        while True:
            end = self._read_until(sock, b"\r\n")
            size = int(self._buffer[:end].split(b";")[0], 16)
            self._buffer = self._buffer[end + 2 :]
            pieces.append(self._read_exactly(sock, size + 2)[:size])
            if size == 0:
                return b"".join(pieces)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
