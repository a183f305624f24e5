"""A real redis-server on a free loopback port, for as long as a test session needs it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_redis(folder: Path) -> Iterator[str]:
    """Start redis-server (no persistence) and yield its URL; stop it afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed (make test installs it)")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log")]
    process = subprocess.Popen(command)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        with redis.Redis.from_url(url) as client:
            for _ in range(400):
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.025)
            else:
                raise RuntimeError(f"redis-server did not answer on port {port}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
