"""The floor of the HTTP stack: an empty request through the same server as the services
(`servicekit.server.serve`: gunicorn, gthread workers and threads as configured, access log,
Flask). `python -m bench.floor --port P`."""

from __future__ import annotations

import os

import click
from flask import Flask, Response

from servicekit.config import EnvReader, WebSettings


def create_app() -> Flask:
    app = Flask("floor")

    @app.post("/empty")
    @app.get("/empty")
    def empty() -> Response:
        return Response(b"", status=200)

    return app


@click.command()
@click.option("--port", type=int, required=True)
def main(port: int) -> None:
    from servicekit.server import serve

    serve(
        service="floor",
        factory="bench.floor:create_app",
        host="127.0.0.1",
        port=port,
        web=WebSettings.from_env(EnvReader(os.environ)),
        log_level="info",
    )


if __name__ == "__main__":
    main()
