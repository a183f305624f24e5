"""The repository's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from repository.http import SOAP_EDGE
from repository.settings import RepositorySettings
from repository.state import EXTENSION, RepositoryState
from repository.storage.location import StorageLocation
from repository.wiring import build_services
from servicekit.app import ServiceSetup, create_service_app
from servicekit.health import ComponentHealth, NamedCheck


def storage_check(storage: StorageLocation) -> NamedCheck:
    """Required by /healthz: the document folder is writable, or the S3 bucket answers."""

    def check() -> ComponentHealth:
        return ComponentHealth(name="storage", status="ok", detail=storage.probe())

    return NamedCheck(name="storage", check=check)


def create_app(settings: RepositorySettings | None = None) -> Flask:
    """The repository app; settings from the environment unless given."""
    settings = settings or RepositorySettings.from_env()
    setup = ServiceSetup(
        service=EXTENSION,
        database_url=settings.database_url,
        broker=settings.broker,
        xml_limits=settings.xml_limits,
    )
    return create_service_app(
        setup,
        make_state=lambda runtime: RepositoryState(
            settings=settings, runtime=runtime, services=build_services(settings, runtime)
        ),
        soap=SOAP_EDGE,
        extra_checks=[storage_check(settings.storage)],
    )
