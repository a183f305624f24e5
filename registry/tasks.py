"""The registry's Celery tasks, run by `dokdeling worker` inside the registry's app context.

Tasks are sent by name (`celery.send_task(NAME, ...)`) after the database transaction that calls
for them commits, carry ids (never objects) and are idempotent.
"""

from __future__ import annotations

from celery import shared_task

from servicekit.tasks import ServiceTask, record_worker_heartbeat

HEARTBEAT_TASK = "registry.record_worker_heartbeat"


class RegistryTask(ServiceTask):
    abstract = True
    app_factory = "registry.app:create_app"


@shared_task(name=HEARTBEAT_TASK, base=RegistryTask, bind=True)  # type: ignore[untyped-decorator]
def record_heartbeat(task: RegistryTask, worker: str, sent_at: str) -> None:
    """Proof for the registry's /healthz that a worker consumes its tasks."""
    record_worker_heartbeat(task.runtime, worker=worker, sent_at=sent_at)
