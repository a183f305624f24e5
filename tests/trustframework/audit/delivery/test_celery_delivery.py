"""No loss, no duplicates: a real Celery worker process (embedded broker) delivers every record
exactly once to a data controller's receiver that is down first and comes back, including
records whose task message never reached the broker (the sweeper finds them)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from tests.support.audit import OUS, document, read_event
from tests.support.audit_harness import SITE, create_app
from tests.support.audit_receivers import Received, fhir_receiver, syslog_receiver
from tests.support.paths import REPO_ROOT
from tests.support.ports import free_port
from tests.support.processes import ServerProcess
from tests.support.tls import make_ca_and_server_cert
from trustframework.audit.sealing import AuditKey
from trustframework.audit.service import ServiceAudit, audit_of

Receiver = Callable[[int, Path, Path, Received], AbstractContextManager[str]]
RECEIVERS: dict[str, tuple[Receiver, str]] = {
    "fhir": (fhir_receiver, "https://127.0.0.1:{port}/fhir"),
    "syslog": (syslog_receiver, "syslog+tls://127.0.0.1:{port}"),
}


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "tls"
    folder.mkdir()
    return make_ca_and_server_cert(folder)


@pytest.fixture
def environment(tmp_path: Path, tls_files: tuple[Path, Path, Path]) -> dict[str, str]:
    return dict(os.environ) | {
        "DOKDELING_DATA_DIR": str(tmp_path),
        "DOKDELING_AUDIT_KEY": AuditKey.generate().to_base64(),
        "DOKDELING_AUDIT_CA_BUNDLE": str(tls_files[0]),
        "DOKDELING_AUDIT_DELIVERY_TIMEOUT": "3",
        "DOKDELING_AUDIT_DELIVERY_BATCH": "7",
        "DOKDELING_AUDIT_RETRY_BASE": "0.2",
        "DOKDELING_AUDIT_RETRY_MAX": "1",
        "DOKDELING_AUDIT_SWEEP_AFTER": "1",
        "DOKDELING_BROKER_POLLING_INTERVAL": "0.05",
        "DOKDELING_WORKER_HEARTBEAT_INTERVAL": "0.5",
        "DOKDELING_WORKER_CONCURRENCY": "2",
        "DOKDELING_LOG_LEVEL": "INFO",
    }


@contextmanager
def _worker(environment: dict[str, str], log: Path) -> Iterator[ServerProcess]:
    command = [sys.executable, "-m", "tests.support.audit_worker"]
    process = ServerProcess("audit worker", command, log, env=environment, cwd=REPO_ROOT)
    try:
        yield process
    finally:
        process.stop()


def _write(audit: ServiceAudit, count: int, prefix: str) -> list[str]:
    events = (read_event(documents=(document(f"{prefix}.{n}", OUS),)) for n in range(count))
    return [audit.writer.write(event)[0].entry.record_id for event in events]


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(RECEIVERS))
def test_every_record_arrives_exactly_once(
    kind: str, environment: dict[str, str], tls_files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    receiver, url = RECEIVERS[kind]
    _, cert, key = tls_files
    port = free_port()
    audit = audit_of(create_app(environment))
    audit.outbox.set_destination(OUS.id, url.format(port=port))
    silent = ServiceAudit.create(  # its commits enqueue nothing, as if the broker were down
        service=audit.service,
        engine=audit.store.engine,
        tables=audit.store.tables,
        settings=audit.settings,
        site=SITE,
    )
    received = Received()
    with _worker(environment, tmp_path / "worker.log") as worker:
        written = _write(audit, 20, "1.1")
        _wait_until(
            lambda: any(p.attempts >= 2 for p in audit.outbox.pending()),
            "failed attempts while the receiver is down:\n" + worker.log_tail(),
        )
        written += _write(silent, 5, "1.2")
        with receiver(port, cert, key, received):
            written += _write(audit, 10, "1.3")
            _wait_until(lambda: not audit.outbox.pending(), "an empty outbox")
            _wait_until(lambda: len(received.counts) == len(written), "every record")
    assert sorted(received.counts) == sorted(written)
    assert set(received.counts.values()) == {1}, received.counts.most_common(3)


@pytest.mark.slow
def test_the_sweeper_delivers_records_whose_task_was_never_sent(
    environment: dict[str, str], tls_files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, cert, key = tls_files
    received = Received()
    port = free_port()
    with fhir_receiver(port, cert, key, received) as url, _worker(environment, tmp_path / "w.log"):
        audit = audit_of(create_app(environment))
        audit.outbox.set_destination(OUS.id, url)
        silent = ServiceAudit.create(
            service=audit.service,
            engine=audit.store.engine,
            tables=audit.store.tables,
            settings=audit.settings,
            site=SITE,
        )
        written = _write(silent, 3, "1.4")
        _wait_until(lambda: len(received.counts) == 3, "the swept records")
    assert sorted(received.counts) == sorted(written)
