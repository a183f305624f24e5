"""A throwaway PostgreSQL 15 cluster for the audit tests (initdb as the `postgres` user when
the tests run as root, its own socket folder, a free loopback port, fsync off)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "dokdeling"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Yields the server's base URL (`postgresql+psycopg://user@127.0.0.1:port`)."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 is not installed (make system-deps)")
    base = Path(tempfile.mkdtemp(prefix="dokdeling-audit-pg-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", free_port()
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", PG_USER, "--auth=trust"]
    subprocess.run(
        _as_postgres([*initdb, "-E", "UTF8", "--no-locale", "-N"]), check=True, capture_output=True
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c full_page_writes=off"
    )
    pg_ctl = str(PG_BIN / "pg_ctl")
    start = [pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-w", "-o", options, "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://{PG_USER}@127.0.0.1:{port}"
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def create_database(server_url: str) -> str:
    """A new empty database on the cluster; its SQLAlchemy URL."""
    name = f"audit_{uuid.uuid4().hex[:12]}"
    address = server_url.removeprefix("postgresql+psycopg://")
    user, host_port = address.split("@")
    host, port = host_port.split(":")
    with psycopg.connect(
        host=host, port=int(port), user=user, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # the name is ours, not input
    return f"{server_url}/{name}"
