"""The repository's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from repository import http
from repository.settings import RepositorySettings
from repository.state import EXTENSION, RepositoryState
from repository.wiring import build_services
from servicekit.app import create_service_app, finish_service_app
from servicekit.health import ComponentHealth, NamedCheck

SERVICE = "repository"


def _storage_check(settings: RepositorySettings) -> NamedCheck:
    def check() -> ComponentHealth:
        return ComponentHealth(name="storage", status="ok", detail=settings.storage.probe())

    return NamedCheck(name="storage", check=check)


def create_app(settings: RepositorySettings | None = None) -> Flask:
    """The repository app; settings from the environment unless given."""
    settings = settings or RepositorySettings.from_env()
    app, runtime = create_service_app(
        SERVICE, database_url=settings.database_url, broker=settings.broker
    )
    state = RepositoryState(
        settings=settings, runtime=runtime, services=build_services(settings, runtime)
    )
    app.extensions[EXTENSION] = state
    finish_service_app(
        app,
        state,
        soap_path=http.PATH,
        wsdl_name=http.WSDL_NAME,
        transactions=http.TRANSACTIONS,
        xml_limits=settings.xml_limits,
        extra_checks=[_storage_check(settings)],
    )
    return app
