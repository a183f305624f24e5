"""The production stack on loopback, as docs/deployment.md describes it, for the integration suite
and `make bench`: the registry and the repository each under gunicorn (`dokdeling <service>
serve`), separate `dokdeling worker` processes, PostgreSQL, Redis as broker and DPoP replay cache,
SeaweedFS as S3 storage, configured only through DOKDELING_* variables.

The trusted issuer is the development issuer, configured explicitly as any issuer would be
(DOKDELING_TRUST_ISSUERS and _JWKS); the repository registers with its own token from a file kept
fresh while the stack runs (what a HelseID token agent does in production); the audit key is a
fresh random key in DOKDELING_AUDIT_KEY.
Every process runs in its own session with its log under the stack's folder, and can be stopped,
killed (SIGKILL of its whole process group) and started again on the same port.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dokdeling.client import XdsClient
from dokdeling.registry_token import DEV_REPOSITORY_CLIENT, RegistryTokenMinter
from dokdeling.tokens import DevIssuerTokens
from tests.support.deployment import deployment_environment
from tests.support.ports import free_port
from tests.support.postgres import PostgresServer
from tests.support.processes import ServerProcess
from tests.support.redis_server import RedisServer
from tests.support.seaweed import SeaweedServer
from trustframework.devissuer import DEV_ISSUER, DevIssuer
from trustframework.settings import TrustSettings

READY_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class StackServers:
    """The servers a stack stands on (shared by several stacks; each gets its own database,
    bucket and Redis database)."""

    postgres: PostgresServer
    redis: RedisServer
    seaweed: SeaweedServer


def _healthy(base_url: str, *, need_worker: bool) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            body = json.load(response)
    except (OSError, ValueError):
        return False
    return not need_worker or body["components"]["worker"]["status"] == "alive"


class ProductionStack:
    """Registry, repository and workers as separate processes over PostgreSQL, Redis and S3."""

    def __init__(
        self,
        folder: Path,
        servers: StackServers,
        *,
        redis_db: int = 0,
        variables: Mapping[str, str] | None = None,
    ) -> None:
        self.folder = folder
        self.data_dir = folder / "var"
        self.registry_port, self.repository_port = free_port(), free_port()
        bucket = f"documents-{secrets.token_hex(4)}"
        issuer = DevIssuer.from_data_dir(self.data_dir)
        issuer.signing_key()  # makes the key and its JWKS file
        self.environ = deployment_environment(
            {
                "DOKDELING_DATA_DIR": str(self.data_dir),
                "DOKDELING_REGISTRY_DATABASE_URL": servers.postgres.create_database("registry"),
                "DOKDELING_REPOSITORY_DATABASE_URL": servers.postgres.create_database("repository"),
                "DOKDELING_BROKER_URL": servers.redis.url(redis_db),
                "DOKDELING_TRUST_REPLAY_CACHE_URL": servers.redis.url(redis_db),
                "DOKDELING_STORAGE_URL": servers.seaweed.storage_url(bucket),
                "DOKDELING_S3_ACCESS_KEY": servers.seaweed.access_key,
                "DOKDELING_S3_SECRET_KEY": servers.seaweed.secret_key,
                "DOKDELING_S3_CREATE_BUCKET": "true",
                "DOKDELING_REGISTRY_URL": f"{self.registry_url}/xds/registry",
                "DOKDELING_TRUST_ISSUERS": DEV_ISSUER,
                "DOKDELING_TRUST_JWKS": str(issuer.jwks_path),
                "DOKDELING_TRUST_REPOSITORY_CLIENTS": DEV_REPOSITORY_CLIENT,
                "DOKDELING_AUDIT_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
                "DOKDELING_LOG_LEVEL": "INFO",
                **(variables or {}),
            }
        )
        # The repository's own token for its ITI-42 (a token agent's job in production).
        trust = TrustSettings.from_env(self.environ)
        self.registry_token = RegistryTokenMinter(self.data_dir, trust)
        self.environ.update(self.registry_token.environment())
        self.registry: ServerProcess | None = None
        self.repository: ServerProcess | None = None
        self.workers: list[ServerProcess] = []
        self._started = 0

    @property
    def registry_url(self) -> str:
        return f"http://127.0.0.1:{self.registry_port}"

    @property
    def repository_url(self) -> str:
        return f"http://127.0.0.1:{self.repository_port}"

    def _process(self, name: str, *arguments: str) -> ServerProcess:
        self._started += 1
        log = self.folder / f"{self._started:02d}-{name}.log"
        command = [sys.executable, "-m", "dokdeling", *arguments]
        return ServerProcess(name, command, log, env=self.environ)

    def upgrade(self) -> None:
        """`dokdeling db upgrade`, as an operator runs it before starting new code."""
        subprocess.run(
            [sys.executable, "-m", "dokdeling", "db", "upgrade"],
            env=self.environ,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self, *, workers: int = 1) -> ProductionStack:
        self.registry_token.start()
        self.upgrade()
        self.start_registry()
        self.start_repository()
        for _ in range(workers):
            self.start_worker()
        self.wait_until_ready()
        return self

    def start_registry(self) -> ServerProcess:
        port = str(self.registry_port)
        self.registry = self._process("registry", "registry", "serve", "--port", port)
        self.registry.wait_ready(lambda: _healthy(self.registry_url, need_worker=False))
        return self.registry

    def start_repository(self) -> ServerProcess:
        port = str(self.repository_port)
        self.repository = self._process("repository", "repository", "serve", "--port", port)
        self.repository.wait_ready(lambda: _healthy(self.repository_url, need_worker=False))
        return self.repository

    def start_worker(self) -> ServerProcess:
        worker = self._process("worker", "worker")
        self.workers.append(worker)
        worker.wait_ready(lambda: " ready." in worker.log_path.read_text(errors="replace"))
        return worker

    def wait_until_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Both services healthy and each sees a live worker."""
        deadline = time.monotonic() + timeout
        urls = (self.registry_url, self.repository_url)
        while not all(_healthy(url, need_worker=True) for url in urls):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stack in {self.folder} is not ready after {timeout} s")
            time.sleep(0.2)

    @staticmethod
    def kill(process: ServerProcess) -> None:
        """SIGKILL the process and everything it started (a crash, no graceful shutdown)."""
        process.stop(signal.SIGKILL)

    @staticmethod
    def pause(process: ServerProcess) -> None:
        """SIGSTOP the process group: it keeps its sockets but answers nothing."""
        os.killpg(process.popen.pid, signal.SIGSTOP)

    @staticmethod
    def resume(process: ServerProcess) -> None:
        os.killpg(process.popen.pid, signal.SIGCONT)

    def client(self) -> XdsClient:
        return XdsClient(registry=self.registry_url, repository=self.repository_url)

    def tokens(self) -> DevIssuerTokens:
        return DevIssuerTokens.for_deployment(self.data_dir, self.environ)

    def command(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """A `dokdeling` command in the stack's environment (an operator's shell)."""
        return subprocess.run(
            [sys.executable, "-m", "dokdeling", *arguments],
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def stop(self) -> None:
        for process in (*self.workers, self.repository, self.registry):
            if process is not None:
                process.stop()
        self.registry_token.stop()
