"""The infrastructure one service process holds: database engine, Celery app, migrations,
heartbeat table. Built once by the service's app factory and kept on `app.extensions`."""

from __future__ import annotations

import gc
from dataclasses import dataclass

import sqlalchemy as sa
from celery import Celery
from flask import Flask
from sqlalchemy.engine import Engine

from servicekit.broker import create_celery
from servicekit.config import BrokerSettings
from servicekit.database import create_database_engine
from servicekit.heartbeat import heartbeat_table
from servicekit.migrations import MigrationSet

EXTENSION = "servicekit"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceRuntime:
    service: str
    database_url: str
    engine: Engine
    celery: Celery
    broker: BrokerSettings
    migrations: MigrationSet
    schema_head: str | None
    """The latest migration this code knows; /healthz wants the database there."""
    heartbeat: sa.Table


def migrations_of(service: str) -> MigrationSet:
    """By convention a service keeps its Alembic scripts in `<service>/migrations/`."""
    return MigrationSet(
        service=service,
        script_location=f"{service}:migrations",
        version_table=f"{service}_alembic_version",
    )


def create_runtime(service: str, *, database_url: str, broker: BrokerSettings) -> ServiceRuntime:
    migrations = migrations_of(service)
    return ServiceRuntime(
        service=service,
        database_url=database_url,
        engine=create_database_engine(database_url),
        celery=create_celery(broker, name=service),
        broker=broker,
        migrations=migrations,
        schema_head=migrations.head(),
        heartbeat=heartbeat_table(service),
    )


def init_runtime(app: Flask, runtime: ServiceRuntime) -> None:
    app.extensions[EXTENSION] = runtime


def runtime_of(app: Flask) -> ServiceRuntime:
    runtime: ServiceRuntime = app.extensions[EXTENSION]
    return runtime


def settle_long_lived_objects() -> None:
    """Once a process has built its app: move everything alive now (modules, the app, code
    systems, schemas) out of the garbage collector's view, so its collections walk only what
    requests allocate (`gc.freeze`; some 10 % of a registration's CPU went to collections that
    traversed the app's objects)."""
    gc.collect()
    gc.freeze()
