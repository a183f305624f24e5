"""The registry's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from registry.codec import EbrimObjectCodec
from registry.http import SOAP_EDGE
from registry.settings import RegistrySettings
from registry.state import EXTENSION, RegistryState
from registry.storage import SqlRegistryStore, create_registry_engine
from servicekit.app import ServiceSetup, create_service_app
from servicekit.runtime import ServiceRuntime


def create_app(settings: RegistrySettings | None = None) -> Flask:
    """The registry app; settings from the environment unless given."""
    settings = settings or RegistrySettings.from_env()
    setup = ServiceSetup(
        service=EXTENSION,
        database_url=settings.database_url,
        broker=settings.broker,
        xml_limits=settings.xml_limits,
    )

    def make_state(runtime: ServiceRuntime) -> RegistryState:
        return RegistryState(
            settings=settings,
            runtime=runtime,
            store=SqlRegistryStore(
                create_registry_engine(settings.database_url), EbrimObjectCodec()
            ),
            options=settings.service_options(),
        )

    return create_service_app(setup, make_state=make_state, soap=SOAP_EDGE)
