"""The stack the benchmark measures: PostgreSQL with production durability (fsync and
synchronous commit on), Redis, SeaweedFS, gunicorn registry and repository, one Celery worker;
plus the floor's empty app under the same gunicorn configuration. The servers are started with
the integration suite's launchers (tests.support) and everything is stopped at the end."""

from __future__ import annotations

import contextlib
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from tests.support.ports import free_port
from tests.support.postgres import PostgresServer, start_postgres
from tests.support.processes import ServerProcess
from tests.support.production_stack import ProductionStack, StackServers
from tests.support.redis_server import start_redis
from tests.support.seaweed import start_seaweed

# Durable like production; memory for a 10^6-entry registry on a machine with a few GB.
POSTGRES_SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "1GB",
    "effective_cache_size": "4GB",
    "max_connections": "200",
    "max_wal_size": "4GB",
}
WEB_WORKERS = "2"
WEB_THREADS = "8"
WORKER_CONCURRENCY = "4"


@dataclass
class BenchStack:
    stack: ProductionStack
    postgres: PostgresServer
    floor_url: str
    folder: Path

    @property
    def registry_database(self) -> str:
        return self.stack.environ["DOKDELING_REGISTRY_DATABASE_URL"]

    def psycopg_conninfo(self) -> str:
        """The registry database for psycopg (the SQL floor)."""
        return self.registry_database.replace("postgresql+psycopg://", "postgresql://")

    def postgres_version(self) -> str:
        with psycopg.connect(self.postgres.admin_conninfo) as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "unknown"


def _floor(folder: Path, environ: dict[str, str]) -> tuple[ServerProcess, str]:
    port = free_port()
    command = [sys.executable, "-m", "bench.floor", "--port", str(port)]
    process = ServerProcess("floor", command, folder / "floor.log", env=environ)
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{url}/empty", timeout=1):  # noqa: S310
                return True
        except OSError:
            return False

    process.wait_ready(ready)
    return process, url


@contextlib.contextmanager
def bench_stack(folder: Path | None = None) -> Iterator[BenchStack]:
    """Everything started in a fresh folder, stopped and removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="dokdeling-bench-", dir=folder) as temporary:
        root = Path(temporary)
        for name in ("redis", "weed", "stack"):
            (root / name).mkdir()
        postgres = start_postgres(POSTGRES_SETTINGS)
        redis = start_redis(root / "redis")
        seaweed = start_seaweed(root / "weed")
        variables = {
            "DOKDELING_WEB_WORKERS": WEB_WORKERS,
            "DOKDELING_WEB_THREADS": WEB_THREADS,
            "DOKDELING_WORKER_CONCURRENCY": WORKER_CONCURRENCY,
        }
        stack = ProductionStack(
            root / "stack", StackServers(postgres, redis, seaweed), variables=variables
        )
        floor: ServerProcess | None = None
        try:
            stack.start(workers=1)
            floor, floor_url = _floor(root, stack.environ)
            yield BenchStack(stack=stack, postgres=postgres, floor_url=floor_url, folder=root)
        finally:
            if floor is not None:
                floor.stop()
            stack.stop()
            redis.process.stop()
            seaweed.process.stop()
            postgres.stop(keep_log_in=root)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kb = 0
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_kb = int(line.split()[1])
    import os

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "disk": _disk(),
    }


def _disk() -> str:
    result = subprocess.run(  # noqa: S603 (df with fixed arguments)
        ["df", "-h", "--output=source,size,fstype", tempfile.gettempdir()],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    return " ".join(lines[-1].split()) if lines else "unknown"
