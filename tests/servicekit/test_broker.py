"""The embedded broker holds sent tasks in its SQLite file until a worker takes them."""

from __future__ import annotations

import gc
from pathlib import Path

import sqlalchemy as sa

from servicekit.broker import EmbeddedChannel, create_celery, probe_broker
from servicekit.config import BrokerSettings, EnvReader
from servicekit.database import create_database_engine


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


def test_delivered_messages_are_pruned_from_the_embedded_broker(tmp_path: Path) -> None:
    app = create_celery(BrokerSettings.from_env(EnvReader({}), tmp_path))
    total = EmbeddedChannel.PRUNE_EVERY + 7
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue("prune-probe")
        for number in range(total):
            queue.put({"n": number}, serializer="json")
        received = [queue.get(timeout=5) for _ in range(total)]
        for message in received:
            message.ack()
        queue.close()
    assert [m.payload["n"] for m in received] == list(range(total))
    engine = create_database_engine(f"sqlite:///{tmp_path / 'broker.sqlite'}")
    try:
        with engine.connect() as db:
            rows = db.execute(sa.text("SELECT count(*) FROM kombu_message")).scalar_one()
    finally:
        engine.dispose()
    # at delivery PRUNE_EVERY all rows were in: the prune kept the newest DELIVERED_KEPT of them
    assert rows == EmbeddedChannel.DELIVERED_KEPT < total


def test_probes_give_their_database_connections_back(tmp_path: Path) -> None:
    app = create_celery(BrokerSettings.from_env(EnvReader({}), tmp_path))
    gc.disable()  # kombu's channels sit in reference cycles: nothing may rely on the collector
    try:
        answers = {probe_broker(app) for _ in range(40)}  # the pool holds 15 at most
    finally:
        gc.enable()
    assert answers == {"queue 'celery' holds 0 messages"}
