"""A service's own credentials when it calls another service: a token file read again when it
changes, and DPoP proofs from a key file, accepted by the trust framework's own Authenticator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trustframework.client import ClientCredentials, CredentialsUnavailable
from trustframework.context import AccessContext
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest, new_dpop_key
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

URL = "http://127.0.0.1:8010/xds/registry"


def authenticator(issuer: DevIssuer, *, require_dpop: bool = False) -> Authenticator:
    settings = TrustSettings(
        issuers=(DEV_ISSUER,), jwks=(str(issuer.jwks_path),), require_dpop=require_dpop
    )
    return Authenticator.from_settings(settings)


def test_the_token_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("one\n")
    credentials = ClientCredentials(token_file)
    assert credentials.headers("POST", URL) == {"Authorization": "Bearer one"}
    replacement = tmp_path / "token.new"
    replacement.write_text("two")
    os.replace(replacement, token_file)  # how an agent renews it
    assert credentials.token() == "two"


@pytest.mark.parametrize(("content", "problem"), [(None, "cannot read"), ("\n", "is empty")])
def test_a_missing_or_empty_token_file_is_refused(
    tmp_path: Path, content: str | None, problem: str
) -> None:
    token_file = tmp_path / "token"
    if content is not None:
        token_file.write_text(content)
    with pytest.raises(CredentialsUnavailable, match=problem):
        ClientCredentials(token_file).headers("POST", URL)


def test_a_bearer_token_from_the_file_is_accepted(tmp_path: Path) -> None:
    issuer = DevIssuer.from_data_dir(tmp_path)
    token_file = tmp_path / "token"
    token_file.write_text(issuer.issue(TokenRequest(persona=Persona.PUBLISHER)))
    headers = ClientCredentials(token_file).headers("POST", URL)
    assert isinstance(authenticator(issuer).authenticate("POST", URL, headers), AccessContext)


def test_a_dpop_bound_token_goes_with_a_proof_for_each_request(tmp_path: Path) -> None:
    issuer = DevIssuer.from_data_dir(tmp_path)
    key_file = tmp_path / "dpop-key.json"
    jkt = new_dpop_key(key_file).thumbprint()
    token_file = tmp_path / "token"
    token_file.write_text(issuer.issue(TokenRequest(persona=Persona.PUBLISHER, dpop_jkt=jkt)))
    credentials = ClientCredentials(token_file, dpop_key_file=key_file)
    verifier = authenticator(issuer, require_dpop=True)
    for _ in range(2):  # a fresh proof every time: no replay
        headers = credentials.headers("POST", URL)
        assert headers["Authorization"].startswith("DPoP ")
        assert isinstance(verifier.authenticate("POST", URL, headers), AccessContext)


def test_a_dpop_key_others_can_read_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "dpop-key.json"
    new_dpop_key(key_file)
    key_file.chmod(0o644)
    token_file = tmp_path / "token"
    token_file.write_text("token")
    credentials = ClientCredentials(token_file, dpop_key_file=key_file)
    with pytest.raises(CredentialsUnavailable, match="readable by others"):
        credentials.headers("POST", URL)
