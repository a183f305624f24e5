"""The embedded broker holds sent tasks in its SQLite file until a worker takes them."""

from __future__ import annotations

from pathlib import Path

from servicekit.broker import create_celery, probe_broker
from servicekit.config import BrokerSettings, EnvReader


def test_a_sent_task_waits_in_the_embedded_broker(tmp_path: Path) -> None:
    broker = BrokerSettings.from_env(EnvReader({}), tmp_path)
    app = create_celery(broker)
    assert probe_broker(app) == "queue 'celery' holds 0 messages"
    app.send_task("registry.record_worker_heartbeat", kwargs={"worker": "w", "sent_at": "x"})
    assert probe_broker(app) == "queue 'celery' holds 1 messages"
    assert (tmp_path / "broker.sqlite").exists()
    assert app.conf.task_serializer == "json"
    assert app.conf.task_acks_late is True
    assert app.conf.task_ignore_result is True
