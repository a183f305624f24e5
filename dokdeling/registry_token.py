"""The repository's token for registering at the registry, under `dokdeling run`.

In production something outside dokdeling (a HelseID client-credentials agent) keeps the
repository's access token in the file `DOKDELING_REPOSITORY_REGISTRY_TOKEN_FILE` names. Under
`dokdeling run` with its development issuer, `run` is that something: it mints a publishing token
for the development repository client (`dokdeling-dev-repository`, organisation 999100007) into
`<data dir>/repository/registry-token` (0600), DPoP-bound when the deployment requires DPoP, and
mints it again every twenty minutes (tokens live an hour). The registry believes that client's
`Dokdeling-On-Behalf-Of` because `development_trust` lists it in
`DOKDELING_TRUST_REPOSITORY_CLIENTS`.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path

from trustframework.context import CLAIM_CLIENT_NAME, CLAIM_ORGNR_PARENT
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest, new_dpop_key
from trustframework.settings import TrustSettings

DEV_REPOSITORY_CLIENT = "dokdeling-dev-repository"
DEV_REPOSITORY_ORGANISATION = "999100007"
TOKEN_VARIABLE = "DOKDELING_REPOSITORY_REGISTRY_TOKEN_FILE"  # noqa: S105 (a name)
DPOP_KEY_VARIABLE = "DOKDELING_REPOSITORY_REGISTRY_DPOP_KEY_FILE"
LIFETIME_SECONDS = 3600
RENEW_SECONDS = 1200.0


def token_files(data_dir: Path) -> tuple[Path, Path]:
    """Where `dokdeling run` keeps the repository's registry token and its DPoP key."""
    folder = data_dir / "repository"
    return folder / "registry-token", folder / "registry-dpop-key.json"


class RegistryTokenMinter:
    """Keeps the repository's registry token fresh in its file while `dokdeling run` runs."""

    def __init__(self, data_dir: Path, trust: TrustSettings) -> None:
        self._issuer = DevIssuer.from_data_dir(data_dir)
        self._trust = trust
        self.token_file, self.dpop_key_file = token_files(data_dir)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._renew, name="registry-token", daemon=True)

    def environment(self) -> dict[str, str]:
        """The variables that point the repository and the worker at the token (and key)."""
        variables = {TOKEN_VARIABLE: str(self.token_file)}
        if self._trust.require_dpop:
            variables[DPOP_KEY_VARIABLE] = str(self.dpop_key_file)
        return variables

    def start(self) -> None:
        """Mint the first token now (the children need it), then renew it in the background."""
        self.mint()
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def mint(self) -> None:
        jkt = new_dpop_key(self.dpop_key_file).thumbprint() if self._trust.require_dpop else None
        token = self._issuer.issue(
            TokenRequest(
                persona=Persona.PUBLISHER,
                scopes=(self._trust.scopes.publish,),
                audience=self._trust.audience,
                lifetime_seconds=LIFETIME_SECONDS,
                dpop_jkt=jkt,
                extra_claims={
                    "client_id": DEV_REPOSITORY_CLIENT,
                    CLAIM_CLIENT_NAME: "DOKDELING DEV REPOSITORY",
                    CLAIM_ORGNR_PARENT: DEV_REPOSITORY_ORGANISATION,
                },
            ),
            self._trust.scopes,
        )
        _write_private(self.token_file, token + "\n")

    def _renew(self) -> None:
        while not self._stopped.wait(RENEW_SECONDS):
            self.mint()


def minter_for_run(environ: Mapping[str, str], data_dir: Path) -> RegistryTokenMinter | None:
    """The minter when `dokdeling run` trusts its development issuer (the children's
    environment has it as its only issuer) and no token file is configured; else None."""
    if environ.get(TOKEN_VARIABLE, "").strip():
        return None
    trust = TrustSettings.from_env(environ)
    if trust.issuers != (DEV_ISSUER,):
        return None
    return RegistryTokenMinter(data_dir, trust)


def _write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with `text`, readable by its owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(staging, path)
