"""The Celery application every dokdeling process builds from its `BrokerSettings`.

Services use it to send tasks (by name, fire-and-forget: there is no result backend); the worker
(`servicekit.worker`) uses it to consume them. JSON only, late acknowledgement, hard time limits.

The embedded broker (`sqla+sqlite:///FILE`, the default) is kombu's SQLAlchemy transport on an
SQLite file, through `EmbeddedTransport` below: it needs no server, works across processes of one
machine, and polls every `polling_interval` seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from celery import Celery
from kombu.transport import sqlalchemy as kombu_sqla

from servicekit.config import BrokerSettings
from servicekit.database import create_database_engine

TASK_TIME_LIMIT_SECONDS = 300
TASK_SOFT_TIME_LIMIT_SECONDS = 270
BROKER_CONNECT_TIMEOUT_SECONDS = 3.0


class EmbeddedChannel(kombu_sqla.Channel):
    """kombu's SQLAlchemy channel on our SQLite engine (WAL, busy timeout).

    kombu hands every transport option to `create_engine()`, so `polling_interval` could not be
    given as an option; building the engine here keeps the options for the transport itself.
    """

    def _engine_from_config(self) -> Any:
        return create_database_engine(self.connection.client.hostname)


class EmbeddedTransport(kombu_sqla.Transport):
    Channel = EmbeddedChannel


def _broker_configuration(broker: BrokerSettings) -> dict[str, Any]:
    if broker.embedded:
        return {
            "broker_url": broker.url.split("+", 1)[1],  # sqlite:///FILE
            "broker_transport": f"{__name__}:EmbeddedTransport",
            "broker_transport_options": {"polling_interval": broker.polling_interval},
            "worker_enable_remote_control": False,  # the SQL transport has no fanout exchange
        }
    return {
        "broker_url": broker.url,
        "broker_transport_options": {"socket_connect_timeout": BROKER_CONNECT_TIMEOUT_SECONDS},
    }


def create_celery(
    broker: BrokerSettings, *, name: str = "dokdeling", include: Sequence[str] = ()
) -> Celery:
    """A Celery app for `broker`; `include` names the task modules a worker imports."""
    app = Celery(name, set_as_current=False, include=list(include))
    app.conf.update(
        _broker_configuration(broker),
        broker_connection_timeout=BROKER_CONNECT_TIMEOUT_SECONDS,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_time_limit=TASK_TIME_LIMIT_SECONDS,
        task_soft_time_limit=TASK_SOFT_TIME_LIMIT_SECONDS,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
    )
    return app


def probe_broker(app: Celery) -> str:
    """Round trip to the broker (declare the default queue, read its size); raises on failure."""
    queue = app.conf.task_default_queue
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        declared = connection.default_channel.queue_declare(queue=queue, durable=True)
        return f"queue {queue!r} holds {declared.message_count} messages"
