"""The Celery tasks that empty a service's audit outbox, declared by the service.

    # registry/tasks.py
    AUDIT_TASKS = declare_audit_tasks("registry", base=RegistryTask)

`RegistryTask` runs each task in the registry's Flask app context, where `audit_of(current_app)`
finds the service's audit. Two tasks, by explicit name:

- `<service>.audit.deliver(organisation)`: one delivery round; retried with backoff while rows
  wait (no retry limit: nothing is ever dropped), and sent again while full batches go out.
  Late acknowledgement: a worker lost mid-round leaves the message for another worker, and the
  outbox lease keeps two rounds from sending the same rows at once.
- `<service>.audit.sweep()`: enqueues a delivery for every organisation whose rows are overdue
  (a lost message, a broker that was down when the writer committed). The worker sends it on its
  heartbeat tick (`servicekit.worker`, which passes `worker` and `sent_at`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import Celery, Task, shared_task
from flask import current_app

from trustframework.audit.delivery.deliver import deliver_due
from trustframework.audit.record import utc_now
from trustframework.audit.service import audit_of


@dataclass(frozen=True, slots=True)
class AuditTaskNames:
    deliver: str
    sweep: str


def audit_task_names(service: str) -> AuditTaskNames:
    return AuditTaskNames(deliver=f"{service}.audit.deliver", sweep=f"{service}.audit.sweep")


def declare_audit_tasks(service: str, *, base: type[Task]) -> AuditTaskNames:
    """Declare the service's delivery and sweep tasks (once, in its task module)."""
    names = audit_task_names(service)

    @shared_task(  # type: ignore[untyped-decorator]
        name=names.deliver,
        base=base,
        bind=True,
        acks_late=True,
        max_retries=None,
        ignore_result=True,
    )
    def deliver(task: Task, organisation: str) -> None:
        audit = audit_of(current_app)
        report = deliver_due(audit.delivery(), organisation)
        if report.waiting:
            raise task.retry(countdown=report.retry_in)
        if report.delivered >= audit.settings.delivery.batch_size:
            task.app.send_task(names.deliver, args=[organisation])

    @shared_task(  # type: ignore[untyped-decorator]
        name=names.sweep, base=base, bind=True, acks_late=True, ignore_result=True
    )
    def sweep(task: Task, **_tick: Any) -> None:
        audit = audit_of(current_app)
        grace = timedelta(seconds=audit.settings.delivery.sweep_after)
        for organisation in audit.outbox.overdue_organisations(now=utc_now(), grace=grace):
            task.app.send_task(names.deliver, args=[organisation])

    return names


def delivery_notifier(celery: Celery, service: str) -> Callable[[frozenset[str]], None]:
    """What the writer calls after a commit: one delivery task per organisation."""
    names = audit_task_names(service)

    def notify(organisations: frozenset[str]) -> None:
        for organisation in sorted(organisations):
            celery.send_task(names.deliver, args=[organisation], retry=False)

    return notify
