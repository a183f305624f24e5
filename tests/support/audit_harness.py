"""A minimal service that mounts the audit as registry and repository will: its Flask app (from
the environment), its task base and its audit tasks. The delivery tests run it in a real Celery
worker process (`python -m tests.support.audit_worker`) and write records from the test."""

from __future__ import annotations

import os
from collections.abc import Mapping

import sqlalchemy as sa
from flask import Flask

from servicekit.broker import create_celery
from servicekit.config import BrokerSettings, EnvReader
from servicekit.database import create_database_engine
from servicekit.tasks import ServiceTask
from trustframework.audit.delivery.tasks import declare_audit_tasks, delivery_notifier
from trustframework.audit.service import ServiceAudit, init_audit
from trustframework.audit.settings import AuditSettings
from trustframework.audit.storage.tables import add_audit_tables

SERVICE = "auditharness"
SITE = "urn:oid:2.16.578.1.12.4.1.7.1.1"


def create_app(environ: Mapping[str, str] = os.environ) -> Flask:
    env = EnvReader(environ)
    data_dir = env.data_dir()
    engine = create_database_engine(
        env.database_url("REGISTRY_DATABASE_URL", data_dir / "h.sqlite")
    )
    metadata = sa.MetaData()
    tables = add_audit_tables(metadata, SERVICE)
    metadata.create_all(engine)
    celery = create_celery(BrokerSettings.from_env(env, data_dir), name=SERVICE)
    audit = ServiceAudit.create(
        service=SERVICE,
        engine=engine,
        tables=tables,
        settings=AuditSettings.from_env(environ),
        site=SITE,
        notify=delivery_notifier(celery, SERVICE),
    )
    app = Flask(SERVICE)
    init_audit(app, audit)
    return app


class HarnessTask(ServiceTask):
    abstract = True
    app_factory = "tests.support.audit_harness:create_app"


AUDIT_TASKS = declare_audit_tasks(SERVICE, base=HarnessTask)
