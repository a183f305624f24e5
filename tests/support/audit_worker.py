"""`python -m tests.support.audit_worker`: a Celery worker for the audit harness's tasks, with
the sweep on the worker's heartbeat tick (configuration from DOKDELING_* variables)."""

from __future__ import annotations

from servicekit.worker import WorkerSettings, run_worker
from tests.support import audit_harness

if __name__ == "__main__":
    run_worker(
        WorkerSettings.from_env(),
        task_modules=[audit_harness.__name__],
        heartbeat_tasks=[audit_harness.AUDIT_TASKS.sweep],
    )
