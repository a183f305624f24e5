"""Data controllers' audit receivers for the delivery tests, on loopback with a throwaway CA:
a FHIR server taking `PUT AuditEvent/{id}`, and an RFC 5425 syslog-over-TLS listener."""

from __future__ import annotations

import json
import re
import socketserver
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

SD_RECORD = re.compile(rb'record="([0-9a-f-]{36})"')


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class Received:
    """What a receiver got: every delivery attempt it acknowledged, by record id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.bodies: dict[str, bytes] = {}
        self.paths: list[str] = []

    def add(self, record_id: str, body: bytes, path: str = "") -> None:
        with self.lock:
            self.counts[record_id] += 1
            self.bodies[record_id] = body
            self.paths.append(path)

    def resources(self) -> dict[str, Any]:
        with self.lock:
            return {rid: json.loads(body) for rid, body in self.bodies.items()}


class _Serving(Protocol):
    def serve_forever(self) -> None: ...

    def shutdown(self) -> None: ...

    def server_close(self) -> None: ...


@contextmanager
def serving_in_thread(server: _Serving) -> Iterator[None]:
    """Run `server` in a daemon thread for as long as the block runs."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def fhir_receiver(port: int, cert: Path, key: Path, received: Received) -> Iterator[str]:
    """An HTTPS FHIR endpoint on `port`; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            match = re.fullmatch(r"/fhir/AuditEvent/([0-9a-f-]{36})", self.path)
            resource = json.loads(body)
            if match is None or resource.get("id") != match.group(1):
                self.send_response(400)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            created = match.group(1) not in received.bodies
            received.add(match.group(1), body, self.path)
            self.send_response(201 if created else 200)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.socket = _server_context(cert, key).wrap_socket(server.socket, server_side=True)
    with serving_in_thread(server):
        yield f"https://127.0.0.1:{port}/fhir"


def read_frames(stream: Any) -> Iterator[bytes]:
    """RFC 5425 octet-counted frames from a file-like stream, until it ends."""
    while True:
        length = b""
        while (char := stream.read(1)) not in (b" ", b""):
            length += char
        if not length:
            return
        yield stream.read(int(length))


@contextmanager
def syslog_receiver(port: int, cert: Path, key: Path, received: Received) -> Iterator[str]:
    """A syslog-over-TLS listener on `port`; yields its destination URL."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for message in read_frames(self.rfile):
                found = SD_RECORD.search(message)
                if found is not None:
                    received.add(found.group(1).decode(), message)

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    server = Server(("127.0.0.1", port), Handler)
    server.socket = _server_context(cert, key).wrap_socket(server.socket, server_side=True)
    with serving_in_thread(server):
        yield f"syslog+tls://127.0.0.1:{port}"
