"""The `dokdeling` command. Each service contributes its own click commands; this only assembles."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dokdeling import __version__
from dokdeling.blocks import service_block_store
from registry.cli import patient_commands, registry_commands
from registry.settings import RegistrySettings
from repository.cli import repository_commands
from repository.settings import RepositorySettings
from servicekit.cli import load_settings
from servicekit.config import configure_logging
from trustframework.audit.cli import AuditTarget, audit_command
from trustframework.cli import BLOCK_STORE_FACTORY, blocks_command, token_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dokdeling")
@click.pass_context
def main(ctx: click.Context) -> None:
    """dokdeling: XDS.b registry and repository for pasientens journaldokumenter."""
    ctx.meta[BLOCK_STORE_FACTORY] = service_block_store


main.add_command(registry_commands)
main.add_command(patient_commands)
main.add_command(repository_commands)


def _registry_audit() -> AuditTarget:
    settings = RegistrySettings.from_env()
    return AuditTarget(database_url=settings.database_url, site=settings.home_community_id)


def _repository_audit() -> AuditTarget:
    settings = RepositorySettings.from_env()
    site = f"urn:oid:{settings.repository_unique_id}"
    return AuditTarget(database_url=settings.database_url, site=site)


main.add_command(audit_command({"registry": _registry_audit, "repository": _repository_audit}))
main.add_command(blocks_command)
main.add_command(token_command)


@main.command()
def worker() -> None:
    """A Celery worker for the registry's and the repository's tasks."""
    from registry import tasks as registry_tasks
    from repository import tasks as repository_tasks
    from servicekit.worker import WorkerSettings, run_worker

    settings = load_settings(WorkerSettings.from_env)
    configure_logging(settings.log_level)
    run_worker(
        settings,
        task_modules=[registry_tasks.__name__, repository_tasks.__name__],
        heartbeat_tasks=[
            registry_tasks.HEARTBEAT_TASK,
            registry_tasks.AUDIT_TASKS.sweep,
            repository_tasks.HEARTBEAT_TASK,
            repository_tasks.AUDIT_TASKS.sweep,
        ],
    )


@main.group()
def db() -> None:
    """The services' databases."""


@db.command()
def upgrade() -> None:
    """Apply the migrations of the registry and repository databases."""
    from dokdeling.run import upgrade_databases

    for line in upgrade_databases(os.environ):
        click.echo(line)


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var"),
    show_default=True,
    envvar="DOKDELING_DATA_DIR",
    help="Folder for the embedded databases, documents and broker.",
)
@click.option("--registry-port", type=click.IntRange(1, 65535), default=8010, show_default=True)
@click.option("--repository-port", type=click.IntRange(1, 65535), default=8020, show_default=True)
@click.option("--no-demo", is_flag=True, help="Do not seed synthetic demo data.")
def run(data_dir: Path, registry_port: int, repository_port: int, no_demo: bool) -> None:
    """Registry, repository and a worker as separate processes, until Ctrl-C."""
    from dokdeling.run import RunOptions, run_deployment

    options = RunOptions(
        data_dir=data_dir.expanduser().resolve(),
        registry_port=registry_port,
        repository_port=repository_port,
        demo=not no_demo,
    )
    sys.exit(run_deployment(options))
