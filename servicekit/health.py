"""`GET /healthz`: can this service reach what it needs, and is a worker consuming its tasks?

The answer is JSON: `{"service", "status": "ok"|"unavailable", "reason"?, "components": {...}}`,
HTTP 200 or 503. Database (reachable and migrated to the latest revision), broker and, for the
repository, storage are required: any of them failing gives 503 with the reason. The worker is
reported (`alive`, `stale` or `unknown`, with when it was last seen) but does not turn the service
unavailable: requests are still accepted and their tasks wait in the broker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app, jsonify

from servicekit.broker import probe_broker
from servicekit.database import describe
from servicekit.heartbeat import WorkerStatus, read_worker_state
from servicekit.runtime import ServiceRuntime

EXTENSION = "servicekit.health"


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentHealth:
    name: str
    status: str
    detail: str
    required: bool = True
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return not self.required or self.status == "ok"


HealthCheck = Callable[[], ComponentHealth]


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedCheck:
    name: str
    check: HealthCheck
    required: bool = True

    def run(self) -> ComponentHealth:
        """The check's answer; any exception is the component being unavailable."""
        try:
            return self.check()
        except Exception as exc:
            return ComponentHealth(
                name=self.name,
                status="unavailable",
                detail=_first_line(exc),
                required=self.required,
            )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else 'no detail'}"


def database_check(runtime: ServiceRuntime) -> HealthCheck:
    def check() -> ComponentHealth:
        head = runtime.schema_head
        with runtime.engine.connect() as connection:
            current = runtime.migrations.current(connection)
        where = describe(runtime.database_url)
        if current != head:
            return ComponentHealth(
                name="database",
                status="unavailable",
                detail=f"{where} is at migration {current}, the code needs {head}: "
                "run `dokdeling db upgrade`",
            )
        return ComponentHealth(name="database", status="ok", detail=f"{where} at {current}")

    return check


def broker_check(runtime: ServiceRuntime) -> HealthCheck:
    def check() -> ComponentHealth:
        return ComponentHealth(name="broker", status="ok", detail=probe_broker(runtime.celery))

    return check


def worker_check(runtime: ServiceRuntime) -> HealthCheck:
    def check() -> ComponentHealth:
        stale_after = timedelta(seconds=runtime.broker.heartbeat_stale_after)
        now = datetime.now(UTC)
        state = read_worker_state(
            runtime.engine, runtime.heartbeat, now=now, stale_after=stale_after
        )
        details = {
            WorkerStatus.ALIVE: f"{len(state.workers)} worker(s) consumed a heartbeat task",
            WorkerStatus.STALE: "no worker heartbeat for more than "
            f"{runtime.broker.heartbeat_stale_after:g} s",
            WorkerStatus.UNKNOWN: "no worker heartbeat has ever been recorded",
        }
        facts: dict[str, Any] = {"workers": list(state.workers)}
        if state.last_seen is not None:
            facts["last_seen"] = state.last_seen.isoformat()
        return ComponentHealth(
            name="worker",
            status=state.status.value,
            detail=details[state.status],
            required=False,
            facts=facts,
        )

    return check


def standard_checks(
    runtime: ServiceRuntime, *, extra: Sequence[NamedCheck] = ()
) -> list[NamedCheck]:
    """Database, broker, the service's `extra` checks, then the (reported only) worker."""
    return [
        NamedCheck(name="database", check=database_check(runtime)),
        NamedCheck(name="broker", check=broker_check(runtime)),
        *extra,
        NamedCheck(name="worker", check=worker_check(runtime), required=False),
    ]


def _component_json(component: ComponentHealth) -> dict[str, Any]:
    return {"status": component.status, "detail": component.detail, **component.facts}


def _healthz() -> tuple[Response, int]:
    service, checks = current_app.extensions[EXTENSION]
    components = [check.run() for check in checks]
    failing = [c for c in components if not c.healthy]
    body: dict[str, Any] = {
        "service": service,
        "status": "unavailable" if failing else "ok",
        "components": {c.name: _component_json(c) for c in components},
    }
    if failing:
        body["reason"] = "; ".join(f"{c.name}: {c.detail}" for c in failing)
    return jsonify(body), 503 if failing else 200


def init_health(app: Flask, service: str, checks: Sequence[NamedCheck]) -> None:
    app.extensions[EXTENSION] = (service, list(checks))
    app.add_url_rule("/healthz", "healthz", _healthz, methods=["GET"])
