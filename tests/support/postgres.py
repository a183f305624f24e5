"""A throwaway PostgreSQL cluster on a free loopback port (initdb + pg_ctl).

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user through
`runuser -u postgres --`, in a folder that user owns. The cluster trusts local connections.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from tests.support.ports import free_port
from tests.support.processes import require_binary

USER = "dokdeling"
TEST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
"""Tests need no durability; `make bench` starts the server with production settings."""


def _bin_dir() -> Path:
    preferred = Path("/usr/lib/postgresql/15/bin")
    found = [preferred, *sorted(Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin"))]
    for folder in found:
        if (folder / "initdb").exists():
            return folder
    require_binary("initdb")  # raises with the install hint
    raise AssertionError("unreachable")


@dataclass
class PostgresServer:
    port: int
    root: Path
    bin_dir: Path
    settings: Mapping[str, str] = field(default_factory=lambda: TEST_SETTINGS)

    @property
    def admin_conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        data = self.root / "data"
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
            "-E", "UTF8", "--no-locale", "-N",
        )  # fmt: skip
        settings = " ".join(f"-c {name}={value}" for name, value in self.settings.items())
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} {settings}"
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(self.log_path), "-w",
            "-o", options, "start",
        )  # fmt: skip

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    def stop(self, keep_log_in: Path) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m",
                      "immediate", "stop")  # fmt: skip
        if self.log_path.exists():
            shutil.copy(self.log_path, keep_log_in / "postgres.log")
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_conninfo, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_conninfo, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def start_postgres(settings: Mapping[str, str] = TEST_SETTINGS) -> PostgresServer:
    """Start a cluster with these server settings; the caller stops it (`PostgresServer.stop`)."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="dokdeling-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PostgresServer(port=free_port(), root=root, bin_dir=bin_dir, settings=settings)
    try:
        server.start()
    except subprocess.CalledProcessError as error:
        log = server.log_path.read_text(errors="replace") if server.log_path.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(
            f"PostgreSQL did not start: {error.stderr.decode(errors='replace')}\n{log}"
        ) from error
    return server
