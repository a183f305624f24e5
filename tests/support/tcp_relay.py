"""A TCP relay in front of a server, to lose a server's answer on purpose.

Every connection to the relay is forwarded to the target port, both ways. While `swallowing`,
what the server answers is read and thrown away (`answered` is set when the first answer
arrives), and `drop_all()` resets every client connection: to the client the server committed
and then vanished before answering, as when it crashes between its commit and its reply.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

from tests.support.ports import free_port

_CHUNK = 65536


class SwallowingRelay:
    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target_port = target_port
        self.swallowing = False
        self.answered = threading.Event()
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with self._lock:
            self._clients.append(client)
        try:
            server = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            _reset(client)
            return
        server.settimeout(None)
        forward = threading.Thread(target=self._pump, args=(client, server, False), daemon=True)
        forward.start()
        self._pump(server, client, True)
        forward.join(timeout=5)
        server.close()
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        client.close()

    def _pump(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(_CHUNK):
                if answers and self.swallowing:
                    self.answered.set()
                    continue
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def drop_all(self) -> None:
        """Reset every client connection (RST), as a vanished server's kernel would."""
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            _reset(client)

    def close(self) -> None:
        self._listener.close()
        self.drop_all()


def _reset(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
