"""`dokdeling run`: registry, repository and a worker as separate processes on one machine.

Embedded defaults under the data folder (SQLite databases, file storage, the SQLite broker) unless
`DOKDELING_*` variables say otherwise. Databases are migrated first; the URLs are printed once both
services answer `/healthz` with 200 and report a live worker. SIGINT/SIGTERM stops every child;
a child that dies on its own stops the rest and makes `run` exit non-zero.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import click
from sqlalchemy.exc import SQLAlchemyError

from dokdeling.processes import ChildProcess, stop_all
from dokdeling.registry_token import DEV_REPOSITORY_CLIENT, minter_for_run
from registry.settings import RegistrySettings
from repository.settings import RepositorySettings
from schemas import vocabulary as v
from servicekit.cli import load_settings
from servicekit.database import describe
from servicekit.runtime import migrations_of
from servicekit.worker import WorkerSettings
from trustframework.audit.settings import ensure_embedded_key
from trustframework.devissuer import DEV_ISSUER, DevIssuer

POLL_SECONDS = 0.25
HEALTH_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    data_dir: Path
    registry_port: int
    repository_port: int
    host: str = "127.0.0.1"
    ready_timeout: float = 120.0
    demo: bool = True
    """Seed the synthetic demo data (once per data folder)."""


def development_trust(environ: Mapping[str, str], data_dir: Path) -> dict[str, str]:
    """The trust settings `dokdeling run` gives its children when DOKDELING_TRUST_ISSUERS is not
    set: its own development issuer (JWKS under the data folder) and, unless configured, the IHE
    test patient authority in attests (the NIST replayer's patients), and its development
    repository client as the one that registers on behalf of sources. Empty when issuers are set.
    Tools that call the deployment (the NIST replayer) derive the same settings with this."""
    if environ.get("DOKDELING_TRUST_ISSUERS", "").strip():
        return {}
    trust = {
        "DOKDELING_TRUST_ISSUERS": DEV_ISSUER,
        "DOKDELING_TRUST_JWKS": str(DevIssuer.from_data_dir(data_dir).jwks_path),
        "DOKDELING_TRUST_REPOSITORY_CLIENTS": DEV_REPOSITORY_CLIENT,
    }
    if not environ.get("DOKDELING_TRUST_PATIENT_AUTHORITIES", "").strip():
        trust["DOKDELING_TRUST_PATIENT_AUTHORITIES"] = v.IHE_TEST_PATIENT_AUTHORITY
    return trust


def child_environment(options: RunOptions, environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ)
    env["DOKDELING_DATA_DIR"] = str(options.data_dir)
    env.setdefault(
        "DOKDELING_REGISTRY_URL", f"http://{options.host}:{options.registry_port}/xds/registry"
    )
    env.update(development_trust(environ, options.data_dir))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _announce_trust(options: RunOptions, env: Mapping[str, str]) -> None:
    """Make the development issuer's key, and say that the deployment trusts it."""
    DevIssuer.from_data_dir(options.data_dir).signing_key()
    click.echo(
        f"trusting the development issuer {DEV_ISSUER} (JWKS {env['DOKDELING_TRUST_JWKS']}); "
        "set DOKDELING_TRUST_ISSUERS to trust your own issuers instead"
    )
    authorities = env.get("DOKDELING_TRUST_PATIENT_AUTHORITIES")
    if authorities:
        click.echo(f"attests may name patients of {authorities}")
    click.echo("tokens: dokdeling token issue --persona gp|publisher|... (see --help)")


def upgrade_databases(environ: Mapping[str, str]) -> list[str]:
    """Migrate both services' databases to the latest revision; one line per database."""
    registry = load_settings(lambda: RegistrySettings.from_env(environ))
    repository = load_settings(lambda: RepositorySettings.from_env(environ))
    lines = []
    databases = (("registry", registry.database_url), ("repository", repository.database_url))
    for service, url in databases:
        migrations = migrations_of(service)
        try:
            migrations.upgrade(url)
        except SQLAlchemyError as error:
            reason = str(error).strip().splitlines()[0]
            raise click.ClickException(
                f"cannot migrate the {service} database at {describe(url)}: {reason}"
            ) from error
        lines.append(f"{service}: database at revision {migrations.head()}")
    return lines


def _healthy(base_url: str) -> bool:
    """`/healthz` answers 200 and reports a live worker."""
    try:
        with urllib.request.urlopen(  # noqa: S310 (a loopback URL we built)
            f"{base_url}/healthz", timeout=HEALTH_TIMEOUT_SECONDS
        ) as response:
            body = json.load(response)
    except (OSError, ValueError):
        return False
    return bool(body.get("components", {}).get("worker", {}).get("status") == "alive")


class Supervisor:
    """Watches the children until a stop signal or an unexpected exit."""

    def __init__(self, children: Sequence[ChildProcess]) -> None:
        self.children = list(children)
        self.stop_requested = threading.Event()

    def request_stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stop_requested.set()

    def dead_child(self) -> ChildProcess | None:
        return next((c for c in self.children if c.exit_code() is not None), None)

    def wait_until(self, ready: Sequence[str], timeout: float) -> str | None:
        """None once every URL in `ready` is healthy; otherwise why waiting ended."""
        deadline = time.monotonic() + timeout
        while not self.stop_requested.is_set():
            if (dead := self.dead_child()) is not None:
                return f"the {dead.name} exited with code {dead.exit_code()} while starting"
            if all(_healthy(url) for url in ready):
                return None
            if time.monotonic() > deadline:
                return f"not healthy with a live worker after {timeout:g} s: {', '.join(ready)}"
            self.stop_requested.wait(POLL_SECONDS)
        return "stopped by a signal while starting"

    def watch(self) -> ChildProcess | None:
        """Block until a stop signal (None) or a child exiting on its own (that child)."""
        while not self.stop_requested.wait(POLL_SECONDS):
            if (dead := self.dead_child()) is not None:
                return dead
        return None


def _start_children(options: RunOptions, env: Mapping[str, str]) -> list[ChildProcess]:
    host = ["--host", options.host]
    return [
        ChildProcess.start(
            "registry", ["registry", "serve", *host, "--port", str(options.registry_port)], env
        ),
        ChildProcess.start(
            "repository",
            ["repository", "serve", *host, "--port", str(options.repository_port)],
            env,
        ),
        ChildProcess.start("worker", ["worker"], env),
    ]


def _seed_demo(
    options: RunOptions, env: Mapping[str, str], registry: str, repository: str, stop: Supervisor
) -> bool:
    """Seed the demo data unless the folder is seeded; whether demo data is there now."""
    from dokdeling import demo
    from dokdeling.client import XdsClient
    from dokdeling.tokens import DevIssuerNotTrusted, DevIssuerTokens

    if demo.is_seeded(options.data_dir):
        click.echo(f"demo data: already seeded ({demo.marker_path(options.data_dir)})")
        return True
    try:
        tokens = DevIssuerTokens.for_deployment(options.data_dir, env)
    except DevIssuerNotTrusted as error:
        click.echo(f"demo data not seeded: {error}", err=True)
        return False
    data = demo.demo_data(demo.seeding_time(options.data_dir))
    click.echo(f"seeding demo data through ITI-41 ({len(data.submissions)} submissions) ...")
    client = XdsClient(registry=registry, repository=repository)
    try:
        demo.seed(data, client, tokens, stop=stop.stop_requested.is_set)
    except Exception as error:  # any refusal or broken connection: run on, seed next start
        click.echo(f"demo data not seeded, tried again at the next start: {error}", err=True)
        return False
    finally:
        client.close()
    demo.write_marker(options.data_dir, data)
    for line in demo.summary_lines(data):
        click.echo(line)
    return True


def _announce(options: RunOptions, registry: str, repository: str, *, demo_data: bool) -> None:
    click.echo(f"dokdeling is running; data in {options.data_dir}")
    click.echo(f"  registry    {registry}/xds/registry   health {registry}/healthz")
    click.echo(f"  repository  {repository}/xds/repository   health {repository}/healthz")
    if demo_data:
        from dokdeling import demo

        patient = demo.demo_data().example_patient
        for line in demo.example_lines(options.data_dir, registry, patient):
            click.echo(line)
    click.echo("Stop with Ctrl-C.")
    sys.stdout.flush()


def run_deployment(options: RunOptions) -> int:
    """Run until a signal (exit 0) or a child's unexpected exit (exit 1)."""
    options.data_dir.mkdir(parents=True, exist_ok=True)
    env = child_environment(options, os.environ)
    if not env.get("DOKDELING_AUDIT_KEY"):
        ensure_embedded_key(options.data_dir)  # the embedded deployment's own audit key
    load_settings(lambda: WorkerSettings.from_env(env))
    if development_trust(os.environ, options.data_dir):
        _announce_trust(options, env)
    minter = load_settings(lambda: minter_for_run(env, options.data_dir))  # registry token
    if minter is not None:
        minter.start()
        env.update(minter.environment())
        click.echo(f"the repository registers with the token in {minter.token_file}")
    for line in upgrade_databases(env):
        click.echo(line)
    children = _start_children(options, env)
    supervisor = Supervisor(children)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, supervisor.request_stop)
    registry = f"http://{options.host}:{options.registry_port}"
    repository = f"http://{options.host}:{options.repository_port}"
    try:
        problem = supervisor.wait_until([registry, repository], options.ready_timeout)
        if problem is not None:
            click.echo(f"dokdeling run: {problem}; stopping", err=True)
            return 0 if supervisor.stop_requested.is_set() else 1
        seeded = options.demo and _seed_demo(options, env, registry, repository, supervisor)
        if supervisor.stop_requested.is_set():
            return 0
        _announce(options, registry, repository, demo_data=seeded)
        dead = supervisor.watch()
        if dead is not None:
            click.echo(
                f"dokdeling run: the {dead.name} stopped unexpectedly (exit code "
                f"{dead.exit_code()}); stopping the others",
                err=True,
            )
            return 1
        return 0
    finally:
        stop_all(children)
        if minter is not None:
            minter.stop()
