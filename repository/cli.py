"""`dokdeling repository ...`: the repository's commands."""

from __future__ import annotations

import click

from repository.settings import RepositorySettings, serving_settings
from servicekit.cli import load_settings, serve_command
from servicekit.config import configure_logging


@click.group("repository")
def repository_commands() -> None:
    """The Document Repository (ITI-41, ITI-43, ITI-86)."""


repository_commands.add_command(
    serve_command(
        "repository",
        factory="repository.app:create_app",
        default_port=8020,
        load=serving_settings,
    )
)


@repository_commands.command("reconcile")
@click.option(
    "--no-storage-audit",
    is_flag=True,
    help="Only repair the outbox and document states; do not compare storage with the database.",
)
def reconcile(no_storage_audit: bool) -> None:
    """Repair what crashes left half-done; exit 1 when documents have missing or damaged bytes
    or a registration is unfinished for too long.

    Registrations that must be sent again go to the broker, for a worker to send.
    """
    from repository.wiring import build_services
    from servicekit.runtime import create_runtime

    settings = load_settings(RepositorySettings.from_env)
    configure_logging(settings.log_level)
    runtime = create_runtime(
        "repository", database_url=settings.database_url, broker=settings.broker
    )
    services = build_services(settings, runtime)
    report = services.reconciler.run(audit_storage=not no_storage_audit)
    for line in report.lines():
        click.echo(line)
    if report.problems:
        raise click.exceptions.Exit(1)
