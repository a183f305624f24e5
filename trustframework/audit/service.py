"""A service's audit in one object, kept on `app.extensions` (the Flask extension pattern).

tables = add_audit_tables(metadata, "registry")          # with the service's own tables
audit = ServiceAudit.create(service="registry", engine=engine, tables=tables,
                            settings=AuditSettings.from_env(), site=home_community_id,
                            notify=delivery_notifier(celery, "registry"))
init_audit(app, audit)
...
audit.writer.write(access_event(...))                     # before the response leaves
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.engine import Engine

from trustframework.audit.delivery.deliver import Delivery
from trustframework.audit.export.fhir import AuditSource
from trustframework.audit.settings import AuditSettings
from trustframework.audit.storage.outbox import SqlOutbox
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.storage.tables import AuditTables
from trustframework.audit.writer import AuditWriter

EXTENSION = "trustframework.audit"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceAudit:
    service: str
    settings: AuditSettings
    store: SqlAuditStore
    outbox: SqlOutbox
    writer: AuditWriter
    source: AuditSource

    @classmethod
    def create(
        cls,
        *,
        service: str,
        engine: Engine,
        tables: AuditTables,
        settings: AuditSettings,
        site: str,
        notify: Callable[[frozenset[str]], None] = lambda _organisations: None,
    ) -> ServiceAudit:
        """`notify` gets the organisations whose outbox grew, after each commit."""
        store = SqlAuditStore(engine, tables, settings.keyring)
        return cls(
            service=service,
            settings=settings,
            store=store,
            outbox=SqlOutbox(engine, tables),
            writer=AuditWriter(store, settings.keyring, notify=notify),
            source=AuditSource(service=service, site=site),
        )

    def delivery(self) -> Delivery:
        return Delivery(
            store=self.store,
            outbox=self.outbox,
            keyring=self.settings.keyring,
            settings=self.settings.delivery,
            source=self.source,
            syslog_sd_id=self.settings.syslog_sd_id,
        )


def init_audit(app: Flask, audit: ServiceAudit) -> None:
    app.extensions[EXTENSION] = audit


def audit_of(app: Flask) -> ServiceAudit:
    audit: ServiceAudit = app.extensions[EXTENSION]
    return audit
