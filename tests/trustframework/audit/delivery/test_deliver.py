"""A delivery round against real TLS receivers: nothing leaves the outbox unacknowledged."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from servicekit.database import create_database_engine
from tests.support.audit import OUS, create_tables, document, read_event
from tests.support.audit_receivers import Received, fhir_receiver, syslog_receiver
from tests.support.people import GP
from tests.support.ports import free_port
from tests.support.tls import make_ca_and_server_cert
from trustframework.audit.delivery.deliver import deliver_due
from trustframework.audit.record import utc_now
from trustframework.audit.sealing import AuditKey
from trustframework.audit.service import ServiceAudit
from trustframework.audit.settings import AuditSettings


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_ca_and_server_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def audit(tmp_path: Path, tls_files: tuple[Path, Path, Path]) -> Iterator[ServiceAudit]:
    ca, _, _ = tls_files
    settings = AuditSettings.from_env(
        {
            "DOKDELING_DATA_DIR": str(tmp_path),
            "DOKDELING_AUDIT_KEY": AuditKey.generate().to_base64(),
            "DOKDELING_AUDIT_CA_BUNDLE": str(ca),
            "DOKDELING_AUDIT_DELIVERY_TIMEOUT": "5",
        }
    )
    engine = create_database_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    yield ServiceAudit.create(
        service="registry",
        engine=engine,
        tables=create_tables(engine),
        settings=settings,
        site="urn:oid:2.16.578.1.12.4.1.7.1.1",
    )
    engine.dispose()


def _write(audit: ServiceAudit, count: int) -> list[str]:
    ids = []
    for number in range(count):
        (record,) = audit.writer.write(read_event(documents=(document(f"1.2.{number}"),)))
        ids.append(record.entry.record_id)
    return ids


def test_fhir_receiver_down_then_up(
    audit: ServiceAudit, tls_files: tuple[Path, Path, Path]
) -> None:
    _, cert, key = tls_files
    port = free_port()
    audit.outbox.set_destination(OUS.id, f"https://127.0.0.1:{port}/fhir")
    ids = _write(audit, 3)

    down = deliver_due(audit.delivery(), OUS.id)
    assert (down.delivered, down.waiting) == (0, 3)
    assert down.error is not None
    assert "ConnectionRefusedError" in down.error
    (pending,) = audit.outbox.pending()
    assert (pending.rows, pending.attempts) == (3, 1)

    received = Received()
    with fhir_receiver(port, cert, key, received):
        assert deliver_due(audit.delivery(), OUS.id).delivered == 0  # still backing off
        later = down.retry_in or 0.0
        report = deliver_due(audit.delivery(), OUS.id, now=_after(later))
    assert (report.delivered, report.waiting) == (3, 0)
    assert audit.outbox.pending() == []
    assert sorted(received.counts) == sorted(ids)
    assert set(received.counts.values()) == {1}
    resource = received.resources()[ids[0]]
    assert resource["resourceType"] == "AuditEvent"
    assert resource["id"] == ids[0]
    national_ids = [
        extension["valueIdentifier"]["value"]
        for agent in resource["agent"]
        for extension in agent.get("extension", [])
    ]
    assert GP in national_ids  # the data controller's revision log names the person (ATT-7)


def _after(seconds: float) -> datetime:
    return utc_now() + timedelta(seconds=seconds + 1)


def test_syslog_over_tls(audit: ServiceAudit, tls_files: tuple[Path, Path, Path]) -> None:
    _, cert, key = tls_files
    port = free_port()
    received = Received()
    with syslog_receiver(port, cert, key, received) as url:
        audit.outbox.set_destination(OUS.id, url)
        ids = _write(audit, 4)
        report = deliver_due(audit.delivery(), OUS.id)
        assert report.delivered == 4
        _wait_for(lambda: len(received.counts) == 4)
    assert sorted(received.counts) == sorted(ids)
    message = received.bodies[ids[0]]
    header, _, body = message.partition(b"\xef\xbb\xbf")
    fields = header.split(b" ")
    assert fields[0] == b"<85>1"
    assert fields[3] == b"dokdeling-registry"
    assert fields[5] == b"IHE+RFC-3881"
    assert f'record="{ids[0]}"'.encode() in header
    root = etree.fromstring(body)
    assert root.tag == "AuditMessage"
    assert root.findtext("EventIdentification/EventID") is not None
    assert root.xpath("string(EventIdentification/EventID/@csd-code)") == "110106"


def _wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        time.sleep(0.025)
    raise AssertionError("the receiver did not get everything")


def test_a_receiver_with_an_untrusted_certificate_gets_nothing(
    audit: ServiceAudit, tmp_path: Path
) -> None:
    _, cert, key = make_ca_and_server_cert(tmp_path)  # another CA than the configured one
    port = free_port()
    received = Received()
    with fhir_receiver(port, cert, key, received) as url:
        audit.outbox.set_destination(OUS.id, url)
        _write(audit, 1)
        report = deliver_due(audit.delivery(), OUS.id)
    assert report.waiting == 1
    assert report.error is not None
    assert "CERTIFICATE_VERIFY_FAILED" in report.error
    assert received.counts == {}


def test_records_without_a_destination_wait_with_the_reason(audit: ServiceAudit) -> None:
    audit.outbox.set_destination(OUS.id, "https://127.0.0.1:1/fhir")
    _write(audit, 2)
    assert audit.outbox.remove_destination(OUS.id)
    report = deliver_due(audit.delivery(), OUS.id)
    assert report.waiting == 2
    assert report.error == f"no destination for organisation {OUS.id}"


def test_only_organisations_with_a_destination_get_outbox_rows(audit: ServiceAudit) -> None:
    _write(audit, 2)
    assert audit.outbox.pending() == []
    assert json.dumps(audit.outbox.destinations()) == "{}"
