"""`dokdeling <service> serve`: a service app under gunicorn (gthread workers), not a dev server.

Workers import and build the app themselves (no preloading), after `serve` has pointed
prometheus-client at a fresh multiprocess folder, so `/metrics` adds up every worker.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from servicekit.config import MULTIPROCESS_VARIABLE, WebSettings
from servicekit.runtime import settle_long_lived_objects


class ServiceServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running `factory` ("package.module:function") in every worker."""

    def __init__(self, factory: str, options: dict[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        module_name, function = self._factory.split(":")
        create_app: Callable[[], Callable[..., Any]] = getattr(
            importlib.import_module(module_name), function
        )
        app = create_app()
        settle_long_lived_objects()
        return app


def _worker_exited(_server: object, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def _prepare_metrics_dir(service: str) -> Path:
    """A fresh multiprocess folder; an operator-chosen one is emptied of old samples."""
    configured = os.environ.get(MULTIPROCESS_VARIABLE)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix=f"dokdeling-{service}-metrics-"))
        os.environ[MULTIPROCESS_VARIABLE] = str(directory)
    return directory


def serve(
    *, service: str, factory: str, host: str, port: int, web: WebSettings, log_level: str
) -> None:
    """Run the service until gunicorn stops (SIGTERM/SIGINT: graceful shutdown)."""
    if "prometheus_client" in sys.modules:
        raise RuntimeError("prometheus_client was imported before serve(): workers' metrics mix")
    own_dir = MULTIPROCESS_VARIABLE not in os.environ
    metrics_dir = _prepare_metrics_dir(service)
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": web.workers,
        "worker_class": "gthread",
        "threads": web.threads,
        "timeout": web.timeout,
        "graceful_timeout": 10,
        "loglevel": log_level.lower(),
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": f"dokdeling-{service}",
        "control_socket_disable": True,  # two services on one host would share its default path
        "child_exit": _worker_exited,
    }
    try:
        ServiceServer(factory, options).run()
    finally:
        if own_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
