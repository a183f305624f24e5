"""One app factory body for every service, in the Flask extension style (state on
`app.extensions`, nothing global): runtime, service state, metrics, health checks, SOAP edge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Flask

from schemas.xml import XmlLimits
from servicekit.config import BrokerSettings
from servicekit.health import NamedCheck, init_health, standard_checks
from servicekit.metrics import init_metrics
from servicekit.runtime import ServiceRuntime, create_runtime, init_runtime
from servicekit.soap_http import SoapEdge, StateT, handler_mapping, mount_soap_endpoint


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceSetup:
    """What distinguishes one service's app from another's."""

    service: str
    database_url: str
    broker: BrokerSettings
    xml_limits: XmlLimits


def create_service_app(
    setup: ServiceSetup,
    *,
    make_state: Callable[[ServiceRuntime], StateT],
    soap: SoapEdge[StateT],
    extra_checks: Sequence[NamedCheck] = (),
) -> Flask:
    """The app: `app.extensions[service]` holds the state `make_state` builds from the runtime."""
    app = Flask(setup.service)
    runtime = create_runtime(setup.service, database_url=setup.database_url, broker=setup.broker)
    init_runtime(app, runtime)
    state = make_state(runtime)
    app.extensions[setup.service] = state
    init_metrics(app)
    init_health(app, setup.service, standard_checks(runtime, extra=extra_checks))
    mount_soap_endpoint(
        app,
        path=soap.path,
        wsdl_name=soap.wsdl_name,
        handlers=handler_mapping(soap.transactions, state),
        operations=[transaction.operation for transaction in soap.transactions],
        limits=setup.xml_limits,
    )
    return app
