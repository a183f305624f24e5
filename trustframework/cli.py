"""`dokdeling blocks …` and `dokdeling token …`: click groups the launcher mounts.

`blocks_command` finds its BlockStore through a factory the launcher puts in
`ctx.meta[BLOCK_STORE_FACTORY]` (so it uses the owning service's database and settings); without
one it opens `--database-url` (default `$DOKDELING_REGISTRY_DATABASE_URL`), whose schema must
already hold the blocks table (`dokdeling db upgrade`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from schemas.model import Cx
from trustframework.blocks import BlockStore, block_patient, hpr_number
from trustframework.settings import TrustConfigurationError, TrustSettings

BLOCK_STORE_FACTORY = "trustframework.block_store_factory"
BlockStoreFactory = Callable[[], BlockStore]


def _open_store(ctx: click.Context, database_url: str | None) -> BlockStore:
    factory = ctx.meta.get(BLOCK_STORE_FACTORY)
    if factory is not None:
        store: BlockStore = factory()
        return store
    if not database_url:
        raise click.UsageError("give --database-url or set DOKDELING_REGISTRY_DATABASE_URL")
    from sqlalchemy import MetaData, create_engine, inspect

    from trustframework.storage import SqlBlockStore, define_blocks_table

    engine = create_engine(database_url)
    table = define_blocks_table(MetaData())
    if not inspect(engine).has_table(table.name):
        raise click.ClickException(f"table {table.name} is missing; run `dokdeling db upgrade`")
    return SqlBlockStore(engine, table)


def _to_patient(_ctx: click.Context, _param: click.Parameter, value: str) -> Cx:
    try:
        return block_patient(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _to_hpr(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        return hpr_number(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


_database_url = click.option(
    "--database-url",
    envvar="DOKDELING_REGISTRY_DATABASE_URL",
    show_envvar=True,
    help="Database holding the blocks (when the launcher provides none).",
)
_patient = click.option(
    "--patient",
    required=True,
    callback=_to_patient,
    help="Patient CX (id^^^&oid&ISO) or national id number.",
)
_hpr = click.option(
    "--hpr", required=True, callback=_to_hpr, help="HPR number of the blocked practitioner."
)


@click.group("blocks")
def blocks_command() -> None:
    """A patient's blocks (sperring) of named health personnel."""


@blocks_command.command("add")
@_patient
@_hpr
@_database_url
@click.pass_context
def blocks_add(ctx: click.Context, patient: Cx, hpr: str, database_url: str | None) -> None:
    """Block a practitioner from the patient's documents."""
    created = _open_store(ctx, database_url).add(patient, hpr, now=datetime.now(UTC))
    click.echo(f"{'blocked' if created else 'already blocked'}: HPR {hpr} for {patient}")


@blocks_command.command("remove")
@_patient
@_hpr
@_database_url
@click.pass_context
def blocks_remove(ctx: click.Context, patient: Cx, hpr: str, database_url: str | None) -> None:
    """Lift a block."""
    if not _open_store(ctx, database_url).remove(patient, hpr):
        raise click.ClickException(f"no block of HPR {hpr} for {patient}")
    click.echo(f"unblocked: HPR {hpr} for {patient}")


@blocks_command.command("list")
@_patient
@_database_url
@click.pass_context
def blocks_list(ctx: click.Context, patient: Cx, database_url: str | None) -> None:
    """The patient's blocks: HPR number and since when, one a line."""
    for block in _open_store(ctx, database_url).blocks_of(patient):
        click.echo(f"{block.hpr_number}\t{block.created_at.isoformat()}")


# --------------------------------------------------------------------------- token
_data_dir = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DOKDELING_DATA_DIR",
    default=Path("var"),
    show_default=True,
    show_envvar=True,
    help="The issuer's key is kept under DIR/dev-issuer/.",
)


@click.group("token")
def token_command() -> None:
    """Development issuer: access tokens for demos and tests (issuer urn:dokdeling:dev-issuer)."""


@token_command.command("issue")
@click.option(
    "--persona",
    type=click.Choice(["gp", "emergency", "nursing-home", "btg", "citizen", "publisher"]),
    default="gp",
    show_default=True,
)
@click.option("--patient", help="National id or CX the attest binds (the citizen, for citizen).")
@click.option("--scope", "scopes", multiple=True, help="Replace the persona's scopes (repeatable).")
@click.option("--pid", help="The person's national id (default: the persona's).")
@click.option("--hpr", help="The practitioner's HPR number (default: the persona's).")
@click.option("--audience", envvar="DOKDELING_TRUST_AUDIENCE", default="dokdeling")
@click.option("--lifetime", type=click.IntRange(1), default=3600, show_default=True)
@click.option("--toa", type=int, help="Time of attestation, Unix seconds (default: now).")
@click.option(
    "--dpop-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bind the token to this EC key (made when missing); see `token dpop-proof`.",
)
@_data_dir
def token_issue(
    *,
    persona: str,
    patient: str | None,
    scopes: tuple[str, ...],
    pid: str | None,
    hpr: str | None,
    audience: str,
    lifetime: int,
    toa: int | None,
    dpop_key: Path | None,
    data_dir: Path,
) -> None:
    """Sign an access token like interface §4 and print it."""
    from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest, new_dpop_key

    settings = _settings()
    jkt = new_dpop_key(dpop_key).thumbprint() if dpop_key is not None else None
    request = TokenRequest(
        persona=Persona(persona),
        patient=patient,
        scopes=scopes or None,
        pid=pid,
        hpr_number=hpr,
        audience=audience,
        lifetime_seconds=lifetime,
        toa=toa,
        dpop_jkt=jkt,
    )
    click.echo(DevIssuer.from_data_dir(data_dir).issue(request, settings.scopes))
    if DEV_ISSUER not in settings.issuers:
        click.echo(f"note: {DEV_ISSUER} is not in DOKDELING_TRUST_ISSUERS", err=True)
    if dpop_key is not None:
        hint = "dokdeling token dpop-proof --key {} --method POST --url URL --token TOKEN"
        click.echo("send as 'Authorization: DPoP <token>' with a proof made by:", err=True)
        click.echo("  " + hint.format(dpop_key), err=True)


@token_command.command("jwks")
@_data_dir
def token_jwks(data_dir: Path) -> None:
    """Print the issuer's public JWKS (also kept in DIR/dev-issuer/jwks.json)."""
    from trustframework.devissuer import DevIssuer

    issuer = DevIssuer.from_data_dir(data_dir)
    click.echo(json.dumps(issuer.jwks(), indent=2))
    click.echo(f"DOKDELING_TRUST_JWKS={issuer.jwks_path.resolve()}", err=True)


@token_command.command("dpop-proof")
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--method", default="POST", show_default=True)
@click.option("--url", required=True, help="The URL the request goes to.")
@click.option("--token", required=True, help="The access token the proof goes with.")
def token_dpop_proof(key_path: Path, method: str, url: str, token: str) -> None:
    """Print a DPoP proof (RFC 9449) for one request; make a new one for every request."""
    from trustframework.client import make_dpop_proof, read_private_jwk

    key = read_private_jwk(key_path)
    click.echo(make_dpop_proof(key, method=method.upper(), url=url, access_token=token))


def _settings() -> TrustSettings:
    try:
        return TrustSettings.from_env(os.environ)
    except TrustConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc
