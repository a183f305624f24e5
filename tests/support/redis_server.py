"""A throwaway redis-server on a free loopback port, no persistence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import redis

from tests.support.ports import free_port
from tests.support.processes import ServerProcess, require_binary


@dataclass
class RedisServer:
    port: int
    process: ServerProcess

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()


def start_redis(folder: Path) -> RedisServer:
    binary = require_binary("redis-server", "/usr/bin/redis-server")
    port = free_port()
    command = [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(folder), "--daemonize", "no",
    ]  # fmt: skip
    process = ServerProcess("redis-server", command, folder / "redis.log")
    server = RedisServer(port=port, process=process)
    server.process.wait_ready(server.ping)
    return server
