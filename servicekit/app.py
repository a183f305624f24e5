"""The parts every service app shares, assembled in the Flask extension style (state on
`app.extensions`, nothing global): runtime, metrics, health checks, the SOAP endpoint."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask

from schemas.xml import XmlLimits
from servicekit.config import BrokerSettings
from servicekit.health import NamedCheck, init_health, standard_checks
from servicekit.metrics import init_metrics
from servicekit.runtime import ServiceRuntime, create_runtime, init_runtime, runtime_of
from servicekit.soap_http import SoapTransaction, StateT, handler_mapping, mount_soap_endpoint


def create_service_app(
    service: str, *, database_url: str, broker: BrokerSettings
) -> tuple[Flask, ServiceRuntime]:
    """A Flask app with the service's runtime and `/metrics`."""
    app = Flask(service)
    runtime = create_runtime(service, database_url=database_url, broker=broker)
    init_runtime(app, runtime)
    init_metrics(app)
    return app, runtime


def finish_service_app(
    app: Flask,
    state: StateT,
    *,
    soap_path: str,
    wsdl_name: str,
    transactions: Sequence[SoapTransaction[StateT]],
    xml_limits: XmlLimits,
    extra_checks: Sequence[NamedCheck] = (),
) -> None:
    """Mount `/healthz` and the SOAP endpoint serving `transactions` with `state`."""
    runtime = runtime_of(app)
    init_health(app, runtime.service, standard_checks(runtime, extra=extra_checks))
    mount_soap_endpoint(
        app,
        path=soap_path,
        wsdl_name=wsdl_name,
        handlers=handler_mapping(transactions, state),
        operations=[transaction.operation for transaction in transactions],
        limits=xml_limits,
    )
