"""`dokdeling registry ...` and `dokdeling patients ...`: the registry's commands."""

from __future__ import annotations

import click

from registry.codec import EbrimObjectCodec
from registry.services import UnusablePatientId, feed_patient
from registry.settings import RegistrySettings
from registry.storage import SqlRegistryStore, create_registry_engine
from schemas.model import Cx
from servicekit.cli import load_settings, serve_command
from servicekit.runtime import migrations_of


@click.group("registry")
def registry_commands() -> None:
    """The Document Registry (ITI-42, ITI-18, ITI-57, ITI-62)."""


registry_commands.add_command(
    serve_command(
        "registry",
        factory="registry.app:create_app",
        default_port=8010,
        load=RegistrySettings.from_env,
    )
)


@click.group("patients")
def patient_commands() -> None:
    """The registry's patient identity feed."""


@patient_commands.command("add")
@click.argument("patient_id", metavar="CX")
def add_patient(patient_id: str) -> None:
    """Make a patient id known, e.g. 'SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO'.

    Norwegian fødselsnummer, D-nummer and H-nummer under their own OIDs are known without this
    when their check digits are valid.
    """
    settings = load_settings(RegistrySettings.from_env)
    patient = Cx.parse(patient_id.strip())
    engine = create_registry_engine(settings.database_url)
    try:
        migrations = migrations_of("registry")
        with engine.connect() as connection:
            if migrations.current(connection) != migrations.head():
                raise click.ClickException(
                    "the registry database is not at the latest migration; "
                    "run `dokdeling db upgrade` first"
                )
        store = SqlRegistryStore(engine, EbrimObjectCodec())
        added = feed_patient(store, patient, options=settings.service_options())
    except UnusablePatientId as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()
    click.echo(f"{patient.render()}: {'added' if added else 'already known'}")
