"""`dokdeling registry ...`: the registry's commands."""

from __future__ import annotations

import click

from registry.settings import RegistrySettings
from servicekit.cli import serve_command


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
