"""The repository's Flask app factory (also what each gunicorn worker and task process builds)."""

from __future__ import annotations

from flask import Flask

from repository.http import SOAP_EDGE
from repository.settings import RepositorySettings
from repository.state import EXTENSION, RepositoryState, repository_state
from repository.storage.location import StorageLocation
from repository.storage.tables import AUDIT_SERVICE, audit_tables, blocks
from repository.wiring import build_services
from servicekit.app import ServiceSetup, create_service_app
from servicekit.health import ComponentHealth, NamedCheck
from servicekit.runtime import ServiceRuntime
from trustframework.audit.service import init_audit
from trustframework.audit.settings import AuditSettings
from trustframework.audit.views import audit_blueprint
from trustframework.secured import secure_service
from trustframework.storage import SqlBlockStore
from trustframework.tokens import Authenticator


def storage_check(storage: StorageLocation) -> NamedCheck:
    """Required by /healthz: the document folder is writable, or the S3 bucket answers."""

    def check() -> ComponentHealth:
        return ComponentHealth(name="storage", status="ok", detail=storage.probe())

    return NamedCheck(name="storage", check=check)


def create_app(
    settings: RepositorySettings | None = None, audit_settings: AuditSettings | None = None
) -> Flask:
    """The repository app; settings (and the audit's: its key) from the environment unless
    given. Without an audit key it does not start."""
    settings = settings or RepositorySettings.from_env()
    audit_settings = audit_settings or AuditSettings.from_env()
    authenticator = Authenticator.from_settings(settings.trust)
    setup = ServiceSetup(
        service=EXTENSION,
        database_url=settings.database_url,
        broker=settings.broker,
        xml_limits=settings.xml_limits,
        trusted_proxies=settings.web.trusted_proxies,
    )

    def make_state(runtime: ServiceRuntime) -> RepositoryState:
        secured = secure_service(
            service=AUDIT_SERVICE,
            engine=runtime.engine,
            celery=runtime.celery,
            tables=audit_tables,
            site=f"urn:oid:{settings.repository_unique_id}",
            trust=settings.trust,
            audit_settings=audit_settings,
            authenticator=authenticator,
        )
        return RepositoryState(
            settings=settings,
            runtime=runtime,
            services=build_services(settings, runtime),
            guard=secured.guard,
            audit=secured.audit,
            blocks=SqlBlockStore(runtime.engine, blocks),
            notify_delivery=secured.notify_delivery,
        )

    app = create_service_app(
        setup,
        make_state=make_state,
        soap=SOAP_EDGE,
        extra_checks=[storage_check(settings.storage)],
    )
    state = repository_state(app)
    init_audit(app, state.audit)
    app.register_blueprint(
        audit_blueprint(audit=state.audit, authenticator=authenticator, trust=settings.trust)
    )
    return app
