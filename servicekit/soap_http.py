"""A service's SOAP edge: `POST <path>` into `schemas.endpoint.SoapEndpoint`; `GET <path>?wsdl`.

A service lists its IHE transactions as `SoapTransaction` entries (one module per transaction
under `<service>/http/`); the app factory turns them into the endpoint's action → handler mapping
with `mount_soap_endpoint`. An action nobody registered gets the SOAP 1.2 Fault
`wsa:ActionNotSupported` (HTTP 400), never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar, cast

from flask import Flask, Response, current_app, request

from schemas.endpoint import Handler, SoapEndpoint
from schemas.wsdl import WsdlOperation, build_wsdl
from schemas.xml import XmlLimits
from servicekit.metrics import metrics_of

StateT = TypeVar("StateT")
EXTENSION = "servicekit.soap"


@dataclass(frozen=True, kw_only=True)  # no slots: `SoapTransaction[State](...)` must work
class SoapTransaction(Generic[StateT]):
    """One IHE transaction at a SOAP endpoint: its WSDL operation and how to build its handler.

    `handler` receives the service's state (settings, stores, Celery, ...) once, in the app
    factory, and returns the function that answers each request.
    """

    operation: WsdlOperation
    handler: Callable[[StateT], Handler]


@dataclass(frozen=True, kw_only=True)
class SoapEdge(Generic[StateT]):
    """A service's SOAP endpoint: where it is, its WSDL name, the transactions it serves."""

    path: str
    wsdl_name: str
    transactions: tuple[SoapTransaction[StateT], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapService:
    """What the SOAP view of one app needs."""

    wsdl_name: str
    endpoint: SoapEndpoint
    operations: tuple[WsdlOperation, ...]


def handler_mapping(
    transactions: Sequence[SoapTransaction[StateT]], state: StateT
) -> dict[str, Handler]:
    """`wsa:Action` → handler; two transactions claiming one action is a programming error."""
    handlers: dict[str, Handler] = {}
    for transaction in transactions:
        action = transaction.operation.action
        if action in handlers:
            raise ValueError(f"two SOAP transactions claim the action {action}")
        handlers[action] = transaction.handler(state)
    return handlers


def mount_soap_endpoint(
    app: Flask,
    *,
    path: str,
    wsdl_name: str,
    handlers: Mapping[str, Handler],
    operations: Sequence[WsdlOperation],
    limits: XmlLimits,
) -> SoapEndpoint:
    """Serve `handlers` (counted and timed per action) at `path`."""
    metrics = metrics_of(app)
    instrumented = {action: metrics.instrument(action, h) for action, h in handlers.items()}
    endpoint = SoapEndpoint(instrumented, limits=limits)
    app.extensions[EXTENSION] = SoapService(
        wsdl_name=wsdl_name, endpoint=endpoint, operations=tuple(operations)
    )
    app.add_url_rule(path, "soap", _soap_view, methods=["GET", "POST"])
    return endpoint


def _soap_view() -> Response:
    service: SoapService = current_app.extensions[EXTENSION]
    if request.method == "GET":
        if "wsdl" not in request.args:
            return Response(
                "Send SOAP 1.2 requests with POST; GET ?wsdl gives the WSDL.\n",
                status=405,
                headers={"Allow": "POST"},
                mimetype="text/plain",
            )
        wsdl = build_wsdl(service.wsdl_name, request.base_url, service.operations)
        return Response(wsdl, mimetype="text/xml")
    answer = service.endpoint.handle(
        request.content_type or "", cast(BinaryIO, request.stream), dict(request.headers)
    )
    return Response(
        answer.body,
        status=answer.status,
        headers={"Content-Type": answer.content_type, **answer.headers},
    )
