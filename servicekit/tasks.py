"""The base of every service's Celery tasks, and the heartbeat task body they share.

A task runs inside its service's Flask app context: the app is built once per worker process from
the environment (the documented Celery pattern of per-process state on the Task instance), so a
task reaches the service's engine and settings the same way a request does.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from celery import Task
from flask import Flask

from servicekit.heartbeat import record_heartbeat
from servicekit.runtime import ServiceRuntime, runtime_of, settle_long_lived_objects


class ServiceTask(Task):  # type: ignore[misc]
    """Subclasses name their app factory, e.g. `app_factory = "registry.app:create_app"`."""

    abstract = True
    app_factory: ClassVar[str]

    @property
    def flask_app(self) -> Flask:
        return _app_built_by(self.app_factory)

    @property
    def runtime(self) -> ServiceRuntime:
        return runtime_of(self.flask_app)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.flask_app.app_context():
            return super().__call__(*args, **kwargs)


@functools.cache
def _app_built_by(factory_path: str) -> Flask:
    """One app per service and worker process, shared by all of the service's tasks."""
    module_name, function = factory_path.split(":")
    factory: Callable[[], Flask] = getattr(importlib.import_module(module_name), function)
    app = factory()
    settle_long_lived_objects()
    return app


def record_worker_heartbeat(runtime: ServiceRuntime, *, worker: str, sent_at: str) -> None:
    """The body of each service's heartbeat task."""
    record_heartbeat(
        runtime.engine,
        runtime.heartbeat,
        worker=worker,
        sent_at=datetime.fromisoformat(sent_at),
        recorded_at=datetime.now(UTC),
    )
