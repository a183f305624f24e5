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

import sqlalchemy as sa
from celery import Celery
from kombu.transport import sqlalchemy as kombu_sqla

from servicekit.config import BrokerSettings
from servicekit.database import create_database_engine

TASK_TIME_LIMIT_SECONDS = 300
TASK_SOFT_TIME_LIMIT_SECONDS = 270
BROKER_CONNECT_TIMEOUT_SECONDS = 3.0


class EmbeddedChannel(kombu_sqla.Channel):
    """kombu's SQLAlchemy channel on our SQLite engine (WAL, busy timeout), pruned.

    kombu hands every transport option to `create_engine()`, so `polling_interval` could not be
    given as an option; building the engine here keeps the options for the transport itself.
    kombu keeps every delivered message as a row marked invisible; every `PRUNE_EVERY` deliveries
    all but the latest `DELIVERED_KEPT` of those rows are deleted, so the file stops growing. (An
    unacknowledged message is put back as a new row on a warm shutdown, never from the old one.)
    """

    PRUNE_EVERY = 500
    DELIVERED_KEPT = 500

    def _engine_from_config(self) -> Any:
        return create_database_engine(self.connection.client.hostname)

    def close(self) -> None:
        """Also give the channel's database connection back (kombu leaves that to the GC)."""
        try:
            super().close()  # type: ignore[no-untyped-call]
        finally:
            if self._session is not None:
                self._session.close()
                self._session = None

    def _get(self, queue: str, timeout: float | None = None) -> Any:
        payload = super()._get(queue)  # type: ignore[no-untyped-call]  # queue.Empty if none
        self._deliveries = getattr(self, "_deliveries", 0) + 1
        if self._deliveries % self.PRUNE_EVERY == 0:
            self._prune_delivered()
        return payload

    def _prune_delivered(self) -> None:
        table = self.message_cls.__table__
        newest = self.session.execute(sa.select(sa.func.max(table.c.id))).scalar_one()
        self.session.execute(
            table.delete().where(
                table.c.visible.is_(False), table.c.id <= newest - self.DELIVERED_KEPT
            )
        )
        self.session.commit()


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
