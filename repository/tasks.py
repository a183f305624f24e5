"""The repository's Celery tasks, run by `dokdeling worker` inside the repository's app context.

Tasks are sent by name (`celery.send_task(NAME, ...)`) after the database transaction that calls
for them commits, carry ids (never objects) and are idempotent.
"""

from __future__ import annotations

from celery import shared_task

from servicekit.tasks import ServiceTask, record_worker_heartbeat

HEARTBEAT_TASK = "repository.record_worker_heartbeat"


class RepositoryTask(ServiceTask):
    abstract = True
    app_factory = "repository.app:create_app"


@shared_task(name=HEARTBEAT_TASK, base=RepositoryTask, bind=True)  # type: ignore[untyped-decorator]
def record_heartbeat(task: RepositoryTask, worker: str, sent_at: str) -> None:
    """Proof for the repository's /healthz that a worker consumes its tasks."""
    record_worker_heartbeat(task.runtime, worker=worker, sent_at=sent_at)
