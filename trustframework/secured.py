"""What a service needs to be secured, built in one place: its audit and the guard that uses it.

Both services' app factories call `secure_service` with their own tables and site; the guard
authenticates, decides and audits with the same writer the service's transactions use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from celery import Celery
from sqlalchemy import Engine

from trustframework.audit.delivery.tasks import delivery_notifier
from trustframework.audit.service import ServiceAudit
from trustframework.audit.settings import AuditSettings
from trustframework.audit.storage.tables import AuditTables
from trustframework.guard import Guard
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator


@dataclass(frozen=True, slots=True, kw_only=True)
class SecuredService:
    """A service's audit, its guard, and the delivery notifier the audit calls after commits."""

    audit: ServiceAudit
    guard: Guard
    notify_delivery: Callable[[frozenset[str]], None]


def secure_service(
    *,
    service: str,
    engine: Engine,
    celery: Celery,
    tables: AuditTables,
    site: str,
    trust: TrustSettings,
    audit_settings: AuditSettings,
    authenticator: Authenticator | None = None,
) -> SecuredService:
    """The audit (records chained in `engine`'s database, delivered through `celery`) and a guard
    over it; `authenticator` defaults to one built from `trust`."""
    notify = delivery_notifier(celery, service)
    audit = ServiceAudit.create(
        service=service,
        engine=engine,
        tables=tables,
        settings=audit_settings,
        site=site,
        notify=notify,
    )
    guard = Guard(
        authenticator=authenticator or Authenticator.from_settings(trust),
        settings=trust,
        audit=audit.writer,
    )
    return SecuredService(audit=audit, guard=guard, notify_delivery=notify)
