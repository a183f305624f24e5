"""The registry's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from registry.codec import EbrimObjectCodec
from registry.http import SOAP_EDGE
from registry.http.admin import admin_blueprint
from registry.settings import RegistrySettings
from registry.state import EXTENSION, RegistryState, registry_state
from registry.storage import SqlRegistryStore, create_registry_engine
from registry.storage.tables import AUDIT_SERVICE, audit_tables, blocks
from servicekit.app import ServiceSetup, create_service_app
from servicekit.runtime import ServiceRuntime
from trustframework.audit.service import init_audit
from trustframework.audit.settings import AuditSettings
from trustframework.audit.views import audit_blueprint
from trustframework.secured import secure_service
from trustframework.storage import SqlBlockStore
from trustframework.tokens import Authenticator


def create_app(
    settings: RegistrySettings | None = None, audit_settings: AuditSettings | None = None
) -> Flask:
    """The registry app; settings (and the audit's: its key) from the environment unless given."""
    settings = settings or RegistrySettings.from_env()
    audit_settings = audit_settings or AuditSettings.from_env()
    authenticator = Authenticator.from_settings(settings.trust)
    setup = ServiceSetup(
        service=EXTENSION,
        database_url=settings.database_url,
        broker=settings.broker,
        xml_limits=settings.xml_limits,
        trusted_proxies=settings.web.trusted_proxies,
    )

    def make_state(runtime: ServiceRuntime) -> RegistryState:
        secured = secure_service(
            service=AUDIT_SERVICE,
            engine=runtime.engine,
            celery=runtime.celery,
            tables=audit_tables,
            site=settings.home_community_id,
            trust=settings.trust,
            audit_settings=audit_settings,
            authenticator=authenticator,
        )
        codec = EbrimObjectCodec()
        return RegistryState(
            settings=settings,
            runtime=runtime,
            store=SqlRegistryStore(create_registry_engine(settings.database_url), codec),
            options=settings.service_options(),
            codec=codec,
            guard=secured.guard,
            audit=secured.audit,
            blocks=SqlBlockStore(runtime.engine, blocks),
            notify_delivery=secured.notify_delivery,
        )

    app = create_service_app(setup, make_state=make_state, soap=SOAP_EDGE)
    state = registry_state(app)
    init_audit(app, state.audit)
    app.register_blueprint(
        audit_blueprint(audit=state.audit, authenticator=authenticator, trust=settings.trust)
    )
    app.register_blueprint(admin_blueprint(state))
    return app
