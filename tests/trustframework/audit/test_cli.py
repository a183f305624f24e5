"""`dokdeling audit verify | export | destinations` on a service database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from lxml import etree

from tests.support.audit import OUS, document, read_event, sql_store, sqlite_engine
from trustframework.audit.cli import AuditTarget, audit_command
from trustframework.audit.sealing import AuditKey, AuditKeyring
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.writer import AuditWriter

SITE = "urn:oid:2.16.578.1.12.4.1.7.1.1"


@pytest.fixture
def key() -> AuditKey:
    return AuditKey.generate()


@pytest.fixture
def store(tmp_path: Path, key: AuditKey) -> SqlAuditStore:
    ring = AuditKeyring(key)
    store = sql_store(sqlite_engine(tmp_path, "registry.sqlite"), ring)
    writer = AuditWriter(store, ring)
    earlier = datetime(2026, 1, 5, 12, tzinfo=UTC)
    for number in range(4):
        event = read_event(documents=(document(f"1.5.{number}"),))
        writer.write(replace(event, recorded_at=earlier + timedelta(days=number)))
    return store


@pytest.fixture
def command(tmp_path: Path) -> click.Group:
    target = AuditTarget(database_url=f"sqlite:///{tmp_path / 'registry.sqlite'}", site=SITE)
    return audit_command({"registry": lambda: target})


@pytest.fixture
def runner(tmp_path: Path, key: AuditKey) -> CliRunner:
    return CliRunner(
        env={"DOKDELING_DATA_DIR": str(tmp_path), "DOKDELING_AUDIT_KEY": key.to_base64()}
    )


def test_verify_an_intact_chain(
    store: SqlAuditStore, command: click.Group, runner: CliRunner
) -> None:
    result = runner.invoke(command, ["verify", "--service", "registry"])
    assert result.exit_code == 0, result.output
    assert "intact: 4 records" in result.output


def test_verify_names_the_first_broken_record(
    store: SqlAuditStore, command: click.Group, runner: CliRunner
) -> None:
    table = store.tables.record
    with store.engine.begin() as connection:
        connection.execute(table.update().where(table.c.seq == 2).values(document_ids='["9.9"]'))
    result = runner.invoke(command, ["verify", "--service", "registry"])
    assert result.exit_code == 1
    assert "BROKEN at record 2" in result.output
    assert "1 records verified before the break" in result.output


def test_verify_without_a_key_says_which_variable(
    store: SqlAuditStore, command: click.Group, tmp_path: Path
) -> None:
    result = CliRunner(env={"DOKDELING_DATA_DIR": str(tmp_path)}).invoke(
        command, ["verify", "--service", "registry"]
    )
    assert result.exit_code == 1
    assert "DOKDELING_AUDIT_KEY: required" in result.output


def test_export_fhir_for_a_period(
    store: SqlAuditStore, command: click.Group, runner: CliRunner
) -> None:
    arguments = ["export", "--service", "registry", "--from", "2026-01-06", "--to", "2026-01-08"]
    result = runner.invoke(command, arguments)
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    assert bundle["resourceType"] == "Bundle"
    documents = [e["resource"]["entity"][1]["what"]["identifier"]["value"] for e in bundle["entry"]]
    assert documents == ["1.5.1", "1.5.2"]
    assert "2 records exported" in result.stderr


def test_export_atna_to_a_file(
    store: SqlAuditStore, command: click.Group, runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "audit.xml"
    result = runner.invoke(
        command, ["export", "--service", "registry", "--format", "atna", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert len(etree.parse(str(target)).getroot().findall("AuditMessage")) == 4


def test_destinations(store: SqlAuditStore, command: click.Group, runner: CliRunner) -> None:
    url = "https://audit.example.org/fhir"
    assert (
        runner.invoke(
            command, ["destinations", "set", "--service", "registry", OUS.id, url]
        ).exit_code
        == 0
    )
    listed = runner.invoke(command, ["destinations", "list", "--service", "registry"])
    assert f"{OUS.id}  {url}" in listed.output
    refused = runner.invoke(
        command,
        ["destinations", "set", "--service", "registry", OUS.id, "http://plain.example.org"],
    )
    assert refused.exit_code == 2
    assert "use https://" in refused.output
    removed = runner.invoke(command, ["destinations", "remove", "--service", "registry", OUS.id])
    assert removed.exit_code == 0


def test_a_database_without_audit_tables(
    command: click.Group, runner: CliRunner, tmp_path: Path
) -> None:
    sa.create_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}").connect().close()
    result = runner.invoke(command, ["verify", "--service", "registry"])
    assert result.exit_code == 1
    assert "run `dokdeling db upgrade`" in result.output
