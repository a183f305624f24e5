"""The registry's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from registry.http import SOAP_EDGE
from registry.settings import RegistrySettings
from registry.state import EXTENSION, RegistryState
from servicekit.app import ServiceSetup, create_service_app


def create_app(settings: RegistrySettings | None = None) -> Flask:
    """The registry app; settings from the environment unless given."""
    settings = settings or RegistrySettings.from_env()
    setup = ServiceSetup(
        service=EXTENSION,
        database_url=settings.database_url,
        broker=settings.broker,
        xml_limits=settings.xml_limits,
    )
    return create_service_app(
        setup,
        make_state=lambda runtime: RegistryState(settings=settings, runtime=runtime),
        soap=SOAP_EDGE,
    )
