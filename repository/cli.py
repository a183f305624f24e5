"""`dokdeling repository ...`: the repository's commands."""

from __future__ import annotations

import click

from repository.settings import RepositorySettings
from servicekit.cli import serve_command


@click.group("repository")
def repository_commands() -> None:
    """The Document Repository (ITI-41, ITI-43, ITI-86)."""


repository_commands.add_command(
    serve_command(
        "repository",
        factory="repository.app:create_app",
        default_port=8020,
        load=RepositorySettings.from_env,
    )
)
