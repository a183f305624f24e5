"""The `dokdeling` command. Each service contributes its own click commands; this only assembles."""

from __future__ import annotations

import click

from dokdeling import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dokdeling")
def main() -> None:
    """dokdeling: XDS.b registry and repository for pasientens journaldokumenter."""
