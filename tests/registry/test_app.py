"""The registry app factory against real SQLite files and real (or unreachable) brokers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree

from registry.app import create_app
from registry.settings import RegistrySettings
from schemas import vocabulary as v
from schemas.soap import build_request, read_envelope, read_fault
from schemas.xml import parse_xml
from servicekit.heartbeat import record_heartbeat
from servicekit.runtime import migrations_of, runtime_of
from tests.support.ports import free_port


def settings_for(tmp_path: Path, **variables: str) -> RegistrySettings:
    environ = {"DOKDELING_DATA_DIR": str(tmp_path)}
    environ.update({f"DOKDELING_{name}": value for name, value in variables.items()})
    return RegistrySettings.from_env(environ)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = settings_for(tmp_path)
    migrations_of("registry").upgrade(settings.database_url)
    return create_app(settings)


def test_healthz_is_503_until_the_database_is_migrated(tmp_path: Path) -> None:
    response = create_app(settings_for(tmp_path)).test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["components"]["database"]["status"] == "unavailable"
    assert "dokdeling db upgrade" in body["reason"]


def test_healthz_is_200_and_reports_the_worker(app: Flask) -> None:
    client = app.test_client()
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["service"] == "registry"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["broker"]["status"] == "ok"
    assert body["components"]["worker"]["status"] == "unknown"

    runtime = runtime_of(app)
    now = datetime.now(UTC)
    record_heartbeat(
        runtime.engine, runtime.heartbeat, worker="w1@host", sent_at=now, recorded_at=now
    )
    response = client.get("/healthz")
    worker = response.get_json()["components"]["worker"]
    assert response.status_code == 200
    assert worker["status"] == "alive"
    assert worker["workers"] == ["w1@host"]

    long_ago = now - timedelta(hours=1)
    record_heartbeat(
        runtime.engine, runtime.heartbeat, worker="w1@host", sent_at=long_ago, recorded_at=long_ago
    )
    response = client.get("/healthz")
    assert response.status_code == 200  # a stale worker is reported, requests are still taken
    assert response.get_json()["components"]["worker"]["status"] == "stale"


def test_healthz_is_503_when_the_broker_is_unreachable(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    migrations_of("registry").upgrade(settings.database_url)
    response = create_app(settings).test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["components"]["broker"]["status"] == "unavailable"
    assert body["reason"].startswith("broker: ")
    assert body["components"]["database"]["status"] == "ok"


def test_unknown_action_is_the_400_fault(app: Flask) -> None:
    request = build_request(v.ACTION_REGISTER, etree.Element(f"{{{v.NS_LCM}}}SubmitObjectsRequest"))
    response = app.test_client().post(
        "/xds/registry", data=request, content_type="application/soap+xml; charset=UTF-8"
    )
    assert response.status_code == 400
    assert response.content_type.startswith("application/soap+xml")
    fault = read_fault(read_envelope(parse_xml(response.data)).body)
    assert fault is not None
    assert fault.subcode is not None
    assert fault.subcode[1] == "ActionNotSupported"


def test_garbage_is_a_fault_too(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/xds/registry", data=b"<oops", content_type="application/soap+xml")
    assert response.status_code == 400
    assert read_fault(read_envelope(parse_xml(response.data)).body) is not None
    assert client.get("/xds/registry").status_code == 405


def test_metrics_count_requests_in_prometheus_text(app: Flask) -> None:
    client = app.test_client()
    client.get("/healthz")
    client.post("/xds/registry", data=b"<oops", content_type="application/soap+xml")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    assert 'dokdeling_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert (
        'dokdeling_http_requests_total{method="POST",route="/xds/registry",status="400"} 1.0'
        in text
    )
    assert "dokdeling_http_request_duration_seconds_bucket" in text
    assert "process_resident_memory_bytes" in text
