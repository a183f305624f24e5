"""Command-line pieces both services use: loading settings with a clear error, `serve`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

import click

from servicekit.config import ConfigError, WebSettings, configure_logging


class ServedSettings(Protocol):
    @property
    def web(self) -> WebSettings: ...

    @property
    def log_level(self) -> str: ...


SettingsT = TypeVar("SettingsT")


def load_settings(loader: Callable[[], SettingsT]) -> SettingsT:
    """`loader()`, with a configuration error turned into a one-line command error."""
    try:
        return loader()
    except ConfigError as error:
        raise click.ClickException(f"invalid configuration: {error}") from error


def serve_command(
    service: str, *, factory: str, default_port: int, load: Callable[[], ServedSettings]
) -> click.Command:
    """`serve [--host] [--port]`: the service under gunicorn."""

    @click.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=default_port, show_default=True, type=click.IntRange(1, 65535))
    def serve(host: str, port: int) -> None:
        settings = load_settings(load)
        configure_logging(settings.log_level)
        from servicekit.server import serve as run_server

        run_server(
            service=service,
            factory=factory,
            host=host,
            port=port,
            web=settings.web,
            log_level=settings.log_level,
        )

    serve.help = f"Run the {service} under gunicorn (configuration from DOKDELING_* variables)."
    return serve
