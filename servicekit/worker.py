"""`dokdeling worker`: a Celery worker for every service's tasks, and its heartbeat.

The worker imports each service's task module and, every `heartbeat_interval` seconds, sends each
service its heartbeat task through the broker. Whichever worker consumes it records the heartbeat
in that service's database (`servicekit.heartbeat`), where the service's `/healthz` reads it.
Heartbeats expire after the stale window, so a backlog never replays old ones.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from celery import Celery, bootsteps

from servicekit.broker import create_celery
from servicekit.config import BrokerSettings, EnvReader

log = logging.getLogger(__name__)
HEARTBEAT_TASKS_SETTING = "dokdeling_heartbeat_tasks"
HEARTBEAT_INTERVAL_SETTING = "dokdeling_heartbeat_interval"
HEARTBEAT_EXPIRES_SETTING = "dokdeling_heartbeat_expires"


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerSettings:
    broker: BrokerSettings
    concurrency: int
    log_level: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> WorkerSettings:
        env = EnvReader(environ)
        return cls(
            broker=BrokerSettings.from_env(env, env.data_dir()),
            concurrency=env.integer("WORKER_CONCURRENCY", 2, minimum=1),
            log_level=env.log_level(),
        )


class HeartbeatSender(bootsteps.StartStopStep):  # type: ignore[misc]
    """Sends the configured heartbeat tasks now and then every interval (worker timer)."""

    requires: ClassVar[set[str]] = {"celery.worker.components:Timer"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self._timer_entry: Any = None

    def start(self, parent: Any) -> None:
        interval = parent.app.conf[HEARTBEAT_INTERVAL_SETTING]
        self.send(parent)
        self._timer_entry = parent.timer.call_repeatedly(interval, self.send, (parent,))

    def stop(self, parent: Any) -> None:
        if self._timer_entry is not None:
            self._timer_entry.cancel()
            self._timer_entry = None

    @staticmethod
    def send(parent: Any) -> None:
        conf = parent.app.conf
        sent_at = datetime.now(UTC).isoformat()
        for task_name in conf[HEARTBEAT_TASKS_SETTING]:
            try:
                parent.app.send_task(
                    task_name,
                    kwargs={"worker": parent.hostname, "sent_at": sent_at},
                    expires=conf[HEARTBEAT_EXPIRES_SETTING],
                    retry=False,
                )
            except Exception:
                log.warning("could not send heartbeat %s", task_name, exc_info=True)


def create_worker_app(
    settings: WorkerSettings, *, task_modules: Sequence[str], heartbeat_tasks: Sequence[str]
) -> Celery:
    app = create_celery(settings.broker, include=task_modules)
    app.conf[HEARTBEAT_TASKS_SETTING] = list(heartbeat_tasks)
    app.conf[HEARTBEAT_INTERVAL_SETTING] = settings.broker.heartbeat_interval
    app.conf[HEARTBEAT_EXPIRES_SETTING] = settings.broker.heartbeat_stale_after
    app.steps["worker"].add(HeartbeatSender)
    return app


def run_worker(
    settings: WorkerSettings, *, task_modules: Sequence[str], heartbeat_tasks: Sequence[str]
) -> None:
    """Run the worker in this process until SIGTERM (warm shutdown) or SIGINT."""
    app = create_worker_app(settings, task_modules=task_modules, heartbeat_tasks=heartbeat_tasks)
    app.worker_main(
        [
            "worker",
            f"--loglevel={settings.log_level}",
            f"--concurrency={settings.concurrency}",
            "--pool=prefork",
            f"--hostname=worker-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
        ]
    )
