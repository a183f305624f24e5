"""`dokdeling audit …`: verify the chain, export records, manage delivery destinations.

The launcher mounts `audit_command(targets)`, where `targets` maps each service name to a function
giving its database URL and site from the service's own settings, so a command sees exactly the
data the running service writes. The key comes from the same `DOKDELING_AUDIT_*` environment.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import click
import sqlalchemy as sa

from servicekit.config import ConfigError
from servicekit.database import create_database_engine
from trustframework.audit.delivery.destinations import (
    InvalidDestination,
    check_organisation_number,
    parse_destination,
)
from trustframework.audit.export.documents import ExportFormat, write_export
from trustframework.audit.export.fhir import AuditSource
from trustframework.audit.settings import AuditSettings
from trustframework.audit.storage.outbox import SqlOutbox
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.storage.tables import add_audit_tables
from trustframework.audit.store import RecordFilter, verify_store


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditTarget:
    """Where a service keeps its audit, from its settings."""

    database_url: str
    site: str


TargetResolver = Callable[[], AuditTarget]


@dataclass(frozen=True, slots=True)
class _Opened:
    store: SqlAuditStore
    outbox: SqlOutbox
    settings: AuditSettings
    source: AuditSource


def _open(targets: Mapping[str, TargetResolver], service: str) -> _Opened:
    try:
        target = targets[service]()
        settings = AuditSettings.from_env()
    except ConfigError as error:
        raise click.ClickException(f"invalid configuration: {error}") from error
    engine = create_database_engine(target.database_url)
    tables = add_audit_tables(sa.MetaData(), service)
    if not sa.inspect(engine).has_table(tables.record.name):
        raise click.ClickException(
            f"table {tables.record.name} is missing; run `dokdeling db upgrade`"
        )
    return _Opened(
        store=SqlAuditStore(engine, tables, settings.keyring),
        outbox=SqlOutbox(engine, tables),
        settings=settings,
        source=AuditSource(service=service, site=target.site),
    )


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date or time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@contextmanager
def _output(path: Path | None) -> Iterator[IO[bytes]]:
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with path.open("wb") as out:
        yield out


ServiceOption = Callable[[Callable[..., None]], Callable[..., None]]


def audit_command(targets: Mapping[str, TargetResolver]) -> click.Group:
    """The `audit` group for the services in `targets`."""
    service_option: ServiceOption = click.option(
        "--service", required=True, type=click.Choice(sorted(targets)), help="Whose audit."
    )

    @click.group("audit")
    def audit() -> None:
        """The tamper-evident audit (docs/audit.md)."""

    audit.add_command(_verify_command(targets, service_option))
    audit.add_command(_export_command(targets, service_option))
    audit.add_command(_destinations_group(targets, service_option))
    return audit


def _verify_command(
    targets: Mapping[str, TargetResolver], service_option: ServiceOption
) -> click.Command:
    @click.command("verify")
    @service_option
    def verify(service: str) -> None:
        """Exit 0 when the hash chain is intact; else print the first broken record, exit 1."""
        opened = _open(targets, service)
        result = verify_store(opened.store, opened.settings.keyring)
        head = result.head
        if result.first_break is not None:
            click.echo(f"{service} audit chain BROKEN at {result.first_break}", err=True)
            click.echo(f"{result.records} records verified before the break", err=True)
            sys.exit(1)
        tail = f"; head {head.seq} {head.last_hash}" if head is not None else ""
        click.echo(f"{service} audit chain intact: {result.records} records{tail}")

    return verify


def _export_command(
    targets: Mapping[str, TargetResolver], service_option: ServiceOption
) -> click.Command:
    formats = click.Choice([f.value for f in ExportFormat])

    @click.command("export")
    @service_option
    @click.option("--format", "form", type=formats, default="fhir", show_default=True)
    @click.option(
        "--from", "since", callback=_moment, help="From this time (ISO 8601; UTC if no zone)."
    )
    @click.option("--to", "until", callback=_moment, help="Until this time (exclusive).")
    @click.option(
        "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File [stdout]."
    )
    def export(
        service: str, form: str, since: datetime | None, until: datetime | None, output: Path | None
    ) -> None:
        """FHIR AuditEvent Bundle (JSON) or DICOM/ATNA audit XML, in chain order."""
        opened = _open(targets, service)
        records = opened.store.records(where=RecordFilter(since=since, until=until))
        keyring = opened.settings.keyring
        with _output(output) as out:
            count = write_export(
                out, records, form=ExportFormat(form), source=opened.source, keyring=keyring
            )
        click.echo(f"{count} records exported", err=True)

    return export


def _destinations_group(
    targets: Mapping[str, TargetResolver], service_option: ServiceOption
) -> click.Group:
    @click.group("destinations")
    def destinations() -> None:
        """Where each data controller receives its records (FHIR https:// or syslog+tls://)."""

    @destinations.command("set")
    @service_option
    @click.argument("organisation")
    @click.argument("url")
    def set_destination(service: str, organisation: str, url: str) -> None:
        """Deliver ORGANISATION's records to URL from now on."""
        try:
            check_organisation_number(organisation)
            parse_destination(url)
        except InvalidDestination as error:
            raise click.BadParameter(str(error)) from error
        _open(targets, service).outbox.set_destination(organisation, url)
        click.echo(f"{service}: records of {organisation} go to {url}")

    @destinations.command("remove")
    @service_option
    @click.argument("organisation")
    def remove_destination(service: str, organisation: str) -> None:
        """Stop delivering to ORGANISATION (waiting records stay in the outbox)."""
        if not _open(targets, service).outbox.remove_destination(organisation):
            raise click.ClickException(f"{organisation} has no destination")
        click.echo(f"{service}: no destination for {organisation}")

    @destinations.command("list")
    @service_option
    def list_destinations(service: str) -> None:
        """Destinations, and what waits in the outbox."""
        outbox = _open(targets, service).outbox
        for organisation, url in sorted(outbox.destinations().items()):
            click.echo(f"{organisation}  {url}")
        for pending in outbox.pending():
            error = f"; last error: {pending.last_error}" if pending.last_error else ""
            click.echo(
                f"waiting for {pending.organisation}: {pending.rows} records, "
                f"{pending.attempts} attempts{error}"
            )

    return destinations
