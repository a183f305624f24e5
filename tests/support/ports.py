"""Free loopback ports for the servers the tests start."""

from __future__ import annotations

import random
import socket
from contextlib import closing

GRPC_OFFSET = 10000  # SeaweedFS opens a gRPC port at every port + 10000


def _bindable(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port the kernel just gave out on 127.0.0.1 (free at the time of the call)."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_port_pair(offset: int = GRPC_OFFSET) -> int:
    """A free port whose `port + offset` is free too (both below 65535)."""
    for _ in range(500):
        port = random.randint(20000, 65535 - offset - 1)
        if _bindable(port) and _bindable(port + offset):
            return port
    raise RuntimeError("no free port pair found on 127.0.0.1")
