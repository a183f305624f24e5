"""A repository deployment for the tests: its services (and, when asked, its HTTP app on a real
port) in the test process, `dokdeling worker` processes on the embedded broker, registering at a
registry stand-in. The app is secured as `repository serve` runs it: its own audit key, the
development issuer trusted (`tokens` signs what callers send)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from dokdeling.run import upgrade_databases
from repository.app import create_app
from repository.model import RegistrationState
from repository.settings import RepositorySettings
from repository.state import RepositoryServices, repository_state
from servicekit.runtime import runtime_of
from tests.support.deployment import deployment_environment
from tests.support.fake_registry import FakeRegistry
from tests.support.ports import free_port
from tests.support.processes import ServerProcess
from tests.support.registry_app import service_environ
from tests.support.repository import FAST_RETRIES
from trustframework.audit.settings import AuditSettings
from trustframework.devissuer import DevIssuer, Persona, TokenRequest

WORKER_VARIABLES = {
    **FAST_RETRIES,
    "REGISTRY_CONNECT_TIMEOUT": "1",
    "REGISTRY_READ_TIMEOUT": "2",
    "RECONCILE_INTERVAL": "0.5",
    "BROKER_POLLING_INTERVAL": "0.05",
    "WORKER_CONCURRENCY": "1",
}


class RepositoryDeployment:
    def __init__(
        self, folder: Path, registry: FakeRegistry, variables: Mapping[str, str] | None = None
    ) -> None:
        chosen = {**WORKER_VARIABLES, **(variables or {})}
        self.folder = folder
        self.environ = deployment_environment(
            service_environ(folder, REGISTRY_URL=registry.url, **chosen)
        )
        upgrade_databases(self.environ)
        self.settings = RepositorySettings.from_env(self.environ)
        self.app = create_app(self.settings, AuditSettings.from_env(self.environ))
        self.issuer = DevIssuer.from_data_dir(folder)
        self.services: RepositoryServices = repository_state(self.app).services
        self.workers: list[ServerProcess] = []
        self._server: BaseWSGIServer | None = None

    def bearer(self, persona: Persona = Persona.PUBLISHER, **request: Any) -> dict[str, str]:
        """The Authorization header of a development-issuer token for `persona`."""
        token = self.issuer.issue(TokenRequest(persona=persona, **request))
        return {"Authorization": f"Bearer {token}"}

    def start_worker(self) -> ServerProcess:
        log = self.folder / f"worker-{len(self.workers) + 1}.log"
        worker = ServerProcess(
            "dokdeling worker", [sys.executable, "-m", "dokdeling", "worker"], log, env=self.environ
        )
        self.workers.append(worker)
        worker.wait_ready(lambda: " ready." in log.read_text(errors="replace"))
        return worker

    def serve(self) -> str:
        """Serve the repository app on a free port; its SOAP endpoint's URL."""
        port = free_port()
        self._server = make_server("127.0.0.1", port, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{port}/xds/repository"

    def state(self, registration_id: str) -> RegistrationState:
        registration = self.services.store.registration(registration_id)
        assert registration is not None
        return registration.state

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for worker in self.workers:
            worker.stop()
        runtime_of(self.app).engine.dispose()
