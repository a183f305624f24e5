"""The registry's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from registry import http
from registry.settings import RegistrySettings
from registry.state import EXTENSION, RegistryState
from servicekit.app import create_service_app, finish_service_app

SERVICE = "registry"


def create_app(settings: RegistrySettings | None = None) -> Flask:
    """The registry app; settings from the environment unless given."""
    settings = settings or RegistrySettings.from_env()
    app, runtime = create_service_app(
        SERVICE, database_url=settings.database_url, broker=settings.broker
    )
    state = RegistryState(settings=settings, runtime=runtime)
    app.extensions[EXTENSION] = state
    finish_service_app(
        app,
        state,
        soap_path=http.PATH,
        wsdl_name=http.WSDL_NAME,
        transactions=http.TRANSACTIONS,
        xml_limits=settings.xml_limits,
    )
    return app
