"""The repository's Celery tasks, run by `dokdeling worker` inside the repository's app context.

Tasks are sent by name (`celery.send_task(NAME, ...)`) after the database transaction that calls
for them commits, carry ids (never objects) and are idempotent: the outbox row decides what a
registration task does, so a duplicate or late message does nothing harmful.

Every worker also sends `repository.reconcile` now and then (`DOKDELING_RECONCILE_INTERVAL`, and
with a storage audit every `DOKDELING_STORAGE_AUDIT_INTERVAL`); reconciliation is safe to run
in several workers at once.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, shared_task
from celery.signals import worker_ready

from repository.settings import RepositorySettings
from repository.state import repository_state
from servicekit.config import ConfigError
from servicekit.tasks import ServiceTask, record_worker_heartbeat
from trustframework.audit.delivery.tasks import declare_audit_tasks

log = logging.getLogger(__name__)
HEARTBEAT_TASK = "repository.record_worker_heartbeat"
REGISTER_TASK = "repository.register_submission"
RECONCILE_TASK = "repository.reconcile"
_PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}


class RepositoryTask(ServiceTask):
    abstract = True
    app_factory = "repository.app:create_app"


class CeleryRegistrationQueue:
    """`RegistrationQueue` through the broker: one `repository.register_submission` message."""

    def __init__(self, celery: Celery) -> None:
        self._celery = celery

    def enqueue(self, registration_id: str, *, delay: float = 0.0) -> None:
        self._celery.send_task(
            REGISTER_TASK,
            args=[registration_id],
            countdown=delay if delay > 0 else None,
            retry=True,
            retry_policy=_PUBLISH_RETRY,
        )


@shared_task(name=HEARTBEAT_TASK, base=RepositoryTask, bind=True)  # type: ignore[untyped-decorator]
def record_heartbeat(task: RepositoryTask, worker: str, sent_at: str) -> None:
    """Proof for the repository's /healthz that a worker consumes its tasks."""
    record_worker_heartbeat(task.runtime, worker=worker, sent_at=sent_at)


@shared_task(name=REGISTER_TASK, base=RepositoryTask, bind=True)  # type: ignore[untyped-decorator]
def register_submission(task: RepositoryTask, registration_id: str) -> None:
    """One ITI-42 attempt for an outbox registration; the next one is scheduled when due."""
    state = repository_state(task.flask_app)
    result = state.services.registrar.attempt(registration_id)
    if result.retry_in is not None:
        CeleryRegistrationQueue(task.runtime.celery).enqueue(registration_id, delay=result.retry_in)


@shared_task(name=RECONCILE_TASK, base=RepositoryTask, bind=True)  # type: ignore[untyped-decorator]
def reconcile(task: RepositoryTask, audit_storage: bool = False) -> None:
    """Repair half-done registrations and documents (`repository.services.reconcile`)."""
    report = repository_state(task.flask_app).services.reconciler.run(audit_storage=audit_storage)
    if report.problems:
        log.error("reconciliation: %s", "; ".join(report.lines()))
    elif report.repaired:
        log.info("reconciliation: %s", "; ".join(report.lines()))


AUDIT_TASKS = declare_audit_tasks("repository", base=RepositoryTask)
"""`repository.audit.deliver` (records to their data controllers) and `repository.audit.sweep`
(sent by the worker on its heartbeat tick)."""


_scheduled_timers: set[int] = set()


@worker_ready.connect  # type: ignore[untyped-decorator]
def schedule_reconciliation(sender: Any, **_: Any) -> None:
    """On worker start: reconcile now, then every interval (the worker's own timer)."""
    timer = getattr(sender, "timer", None)
    if timer is None or id(timer) in _scheduled_timers:
        return
    try:
        policy = RepositorySettings.from_env().reconcile
    except ConfigError as exc:
        log.error("reconciliation not scheduled: %s", exc)
        return
    _scheduled_timers.add(id(timer))
    app = sender.app

    def send(audit_storage: bool, expires: float) -> None:
        try:
            app.send_task(RECONCILE_TASK, kwargs={"audit_storage": audit_storage}, expires=expires)
        except Exception:
            log.warning("could not send %s", RECONCILE_TASK, exc_info=True)

    interval = policy.interval.total_seconds()
    audit_interval = policy.storage_audit_interval.total_seconds()
    send(False, interval)
    timer.call_repeatedly(interval, send, (False, interval))
    timer.call_repeatedly(audit_interval, send, (True, audit_interval))
